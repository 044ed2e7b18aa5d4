import { describe, expect, it } from 'vitest';
import {
	datesBetween,
	formatDate,
	formatTime,
	instantToZoned,
	isRealDate,
	isTimeZone,
	zonedToInstant
} from './time';

describe('time', () => {
	it('knows real zones and refuses made-up ones', () => {
		expect(isTimeZone('Europe/London')).toBe(true);
		expect(isTimeZone('UTC')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(isTimeZone('')).toBe(false);
	});

	it('converts wall-clock times to instants and back, across DST', () => {
		expect(zonedToInstant('2027-06-24', '09:00', 'Europe/London').toISOString()).toBe(
			'2027-06-24T08:00:00.000Z'
		);
		expect(zonedToInstant('2027-12-02', '09:00', 'Europe/London').toISOString()).toBe(
			'2027-12-02T09:00:00.000Z'
		);
		// 01:30 does not exist on the spring-forward night; it moves to 02:30 BST.
		expect(zonedToInstant('2027-03-28', '01:30', 'Europe/London').toISOString()).toBe(
			'2027-03-28T01:30:00.000Z'
		);
		expect(instantToZoned(new Date('2027-06-24T08:00:00Z'), 'Europe/London')).toEqual({
			date: '2027-06-24',
			time: '09:00'
		});
	});

	it('tells real dates from impossible ones', () => {
		expect(isRealDate('2028-02-29')).toBe(true);
		expect(isRealDate('2027-02-29')).toBe(false);
		expect(isRealDate('2027-02-30')).toBe(false);
		expect(isRealDate('2027-6-1')).toBe(false);
	});

	it('lists the dates of an event inclusively, over month ends', () => {
		expect(datesBetween('2027-06-30', '2027-07-02')).toEqual([
			'2027-06-30',
			'2027-07-01',
			'2027-07-02'
		]);
		expect(datesBetween('2027-06-30', '2027-06-30')).toEqual(['2027-06-30']);
	});

	it("formats dates in the reader's language", () => {
		expect(formatDate('2019-06-27', 'en')).toBe('Thursday, 27 June 2019');
		expect(formatDate('2019-06-27', 'ca')).toContain('27 de juny');
		expect(formatTime(new Date('2019-06-27T08:00:00Z'), 'Europe/London', 'en')).toBe('09:00');
	});
});
