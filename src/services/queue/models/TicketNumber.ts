import { err, ok, type Result } from '../../shared/Result';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import type { EntryKind } from './QueueEntry';

/**
 * The ticket a patient sees (`A-014`). The number is unique in the queue's day across all kinds; the
 * letter only helps staff and patients read the board and is fixed at creation so it never changes
 * under a patient's eyes: `A` = booked Appointment, `W` = Walk-in (emergencies inserted at the desk are
 * walk-ins, so `W`; their priority shows separately). At least three digits, more past 999.
 */
export const TICKET_PREFIX: Readonly<Record<EntryKind, string>> = { booked: 'A', walk_in: 'W' };

const PATTERN = /^([AW])-(\d{3,})$/;

export class TicketNumber {
  private constructor(
    readonly number: number,
    readonly kind: EntryKind,
  ) {}

  static of(number: number, kind: EntryKind): Result<TicketNumber, AppError> {
    if (!Number.isInteger(number) || number < 1) {
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'Ticket numbers are positive integers', { number }));
    }
    return ok(new TicketNumber(number, kind));
  }

  static parse(text: string): Result<TicketNumber, AppError> {
    const m = PATTERN.exec(text.trim().toUpperCase());
    if (!m) return err(appError(ErrorCodes.VALIDATION_FAILED, 'Not a ticket', { text }));
    const kind: EntryKind = m[1] === 'A' ? 'booked' : 'walk_in';
    return TicketNumber.of(Number(m[2]), kind);
  }

  /** `A-014`, `W-003`, `A-1203`. */
  render(): string {
    return `${TICKET_PREFIX[this.kind]}-${String(this.number).padStart(3, '0')}`;
  }

  toString(): string {
    return this.render();
  }
}

/** Rendering shortcut for an entry-like value. */
export const renderTicket = (e: { ticketNumber: number; kind: EntryKind }): string =>
  `${TICKET_PREFIX[e.kind]}-${String(e.ticketNumber).padStart(3, '0')}`;
