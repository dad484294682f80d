import { err, ok, type Result } from '../../shared/Result';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';

/**
 * The ticket a patient sees (`A-014`): the clinic's ticket prefix (clinics.ticket_prefix, 1-3 capital
 * letters, default `A`), a dash, and the number with at least three digits (more past 999). One rule for
 * every entry, booked, walk-in or emergency: it is what the board, the tracker, the dashboard and the SMS
 * show, and what the database renders with `private.ticket_label(prefix, number)`. The number is unique in
 * the queue's day across all kinds.
 */
export const DEFAULT_TICKET_PREFIX = 'A';

const PREFIX = /^[A-Z]{1,3}$/;
const PATTERN = /^([A-Z]{1,3})-(\d{3,})$/;

export const isTicketPrefix = (prefix: string): boolean => PREFIX.test(prefix);

export class TicketNumber {
  private constructor(
    readonly number: number,
    readonly prefix: string,
  ) {}

  static of(number: number, prefix: string = DEFAULT_TICKET_PREFIX): Result<TicketNumber, AppError> {
    if (!Number.isInteger(number) || number < 1) {
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'Ticket numbers are positive integers', { number }));
    }
    if (!isTicketPrefix(prefix)) {
      return err(
        appError(ErrorCodes.VALIDATION_FAILED, 'Ticket prefixes are 1-3 capital letters', { prefix }),
      );
    }
    return ok(new TicketNumber(number, prefix));
  }

  static parse(text: string): Result<TicketNumber, AppError> {
    const m = PATTERN.exec(text.trim().toUpperCase());
    if (!m) return err(appError(ErrorCodes.VALIDATION_FAILED, 'Not a ticket', { text }));
    return TicketNumber.of(Number(m[2]), m[1]);
  }

  /** `A-014`, `QM-003`, `A-1203`. */
  render(): string {
    return renderTicket({ ticketNumber: this.number }, this.prefix);
  }

  toString(): string {
    return this.render();
  }
}

/** Rendering shortcut for an entry-like value, with the clinic's prefix (same as `private.ticket_label`). */
export const renderTicket = (e: { ticketNumber: number }, prefix: string = DEFAULT_TICKET_PREFIX): string =>
  `${prefix}-${String(e.ticketNumber).padStart(3, '0')}`;
