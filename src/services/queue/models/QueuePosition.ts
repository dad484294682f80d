import { err, ok, type Result } from '../../shared/Result';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';

/**
 * A waiting patient's place in their pool: 1 means "you are next". See `QueueOrder.positions` for how
 * it is computed.
 */
export class QueuePosition {
  private constructor(readonly value: number) {}

  static of(value: number): Result<QueuePosition, AppError> {
    if (!Number.isInteger(value) || value < 1) {
      return err(appError(ErrorCodes.QUEUE_INVALID_POSITION, 'Positions start at 1', { value }));
    }
    return ok(new QueuePosition(value));
  }

  isNext(): boolean {
    return this.value === 1;
  }

  /** "Almost your turn" (DOMAIN.md notifications): position ≤ `notify_at_position`. */
  isAlmostTurn(notifyAtPosition: number): boolean {
    return this.value <= notifyAtPosition;
  }
}
