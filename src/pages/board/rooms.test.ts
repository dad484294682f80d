// Issue 17: per-room boards — `?rooms=1,2` narrows one screen to the calls of those rooms.
import { describe, expect, it } from 'vitest';
import { boardRooms, forRooms } from './rooms';

describe('per-room boards', () => {
  it('reads the rooms from the address: trimmed, deduplicated, empty or absent = the whole clinic', () => {
    expect(boardRooms('?rooms=1,%202 ,1,,')).toEqual(['1', '2']);
    expect(boardRooms('?rooms=')).toBeNull();
    expect(boardRooms('')).toBeNull();
    expect(boardRooms(`?rooms=${'x'.repeat(21)},B`)).toEqual(['B']);
    expect(boardRooms(`?rooms=${Array.from({ length: 30 }, (_, i) => i).join(',')}`)).toHaveLength(20);
  });

  it('shows only its rooms’ calls; next keeps its rooms and the tickets waiting for any doctor', () => {
    const board = {
      version: 3,
      now_serving: [
        { ticket: 'A-001', room: '1' },
        { ticket: 'A-002', room: '2' },
        { ticket: 'A-003', room: null },
      ],
      next: [
        { ticket: 'A-004', room: '2' },
        { ticket: 'A-005', room: null },
        { ticket: 'A-006' },
        { ticket: 'A-007', room: '1' },
      ],
      paused_rooms: ['1', '2'],
    };
    expect(forRooms(board, ['1'])).toEqual({
      version: 3,
      now_serving: [{ ticket: 'A-001', room: '1' }],
      next: [{ ticket: 'A-005', room: null }, { ticket: 'A-006' }, { ticket: 'A-007', room: '1' }],
      paused_rooms: ['1'],
    });
    expect(forRooms(board, null)).toBe(board);
  });
});
