// The Vietnamese lunar calendar (âm lịch), for Tết and Giỗ Tổ Hùng Vương (docs/domain.md §4).
// Hồ Ngọc Đức's astronomical algorithm: new moons and the sun's longitude from Meeus' series,
// evaluated at local midnight. Vietnam reckons months at UTC+7, China at UTC+8, and the two calendars
// differ whenever a new moon falls between 16:00 and 17:00 UTC: Tết 1985, 2007 and 2030 among others.
// Accurate for 1900–2199, which is the range accepted here.

export type LunarDate = { day: number; month: number; year: number; leap: boolean };

/** Vietnam's offset from UTC in hours: months begin on the day of the new moon at this offset. */
export const vietnamTimeZone = 7;

export const lunarMinYear = 1900;
export const lunarMaxYear = 2199;

const synodicMonth = 29.530588853;
/** The Julian day of the new moon of 1900-01-01, from which new moons are numbered. */
const epochNewMoon = 2415021.076998695;

/** Julian day number of a Gregorian date. */
function julianDay(day: number, month: number, year: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 32045;
}

/** The Gregorian date of a Julian day number, as YYYY-MM-DD. */
function dateOfJulianDay(jd: number): string {
  const a = jd + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = 100 * b + d - 4800 + Math.floor(m / 10);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The instant (Julian date, UT) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // the sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // the moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // the moon's argument of latitude
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  c1 = c1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  c1 = c1 - 0.0004 * Math.sin(dr * 3 * Mpr);
  c1 = c1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  c1 = c1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  c1 = c1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  c1 = c1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  const deltaT = T < -11
    ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
    : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** The sun's apparent longitude in radians, [0, 2π), at a Julian date. */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = Math.PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let dl = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  dl = dl + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  const l = (L0 + dl) * dr;
  return l - 2 * Math.PI * Math.floor(l / (2 * Math.PI));
}

/** Which of the 12 solar terms (0–11, 30° each) the sun is in at local midnight opening a day. */
function solarTerm(dayNumber: number, timeZone: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - timeZone / 24) / Math.PI) * 6);
}

/** The Julian day number on which the k-th new moon falls, at the given offset. */
function newMoonDay(k: number, timeZone: number): number {
  return Math.floor(newMoon(k) + 0.5 + timeZone / 24);
}

/** The first day of lunar month 11 (the month holding the winter solstice) of a solar year. */
function month11(year: number, timeZone: number): number {
  const off = julianDay(31, 12, year) - 2415021;
  const k = Math.floor(off / synodicMonth);
  const nm = newMoonDay(k, timeZone);
  // Past 270° the new moon is after the solstice: month 11 began one lunation earlier.
  return solarTerm(nm, timeZone) >= 9 ? newMoonDay(k - 1, timeZone) : nm;
}

/**
 * In a 13-month lunar year starting at month 11 (day a11), the offset of the leap month: the first
 * month without a principal solar term, i.e. in which the sun does not change sign.
 */
function leapMonthOffset(a11: number, timeZone: number): number {
  const k = Math.floor((a11 - epochNewMoon) / synodicMonth + 0.5);
  let i = 1;
  let arc = solarTerm(newMoonDay(k + i, timeZone), timeZone);
  let last: number;
  do {
    last = arc;
    i++;
    arc = solarTerm(newMoonDay(k + i, timeZone), timeZone);
  } while (arc !== last && i < 14);
  return i - 1;
}

function parseDay(date: string): { day: number; month: number; year: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a real date: ${date}`);
  }
  return { day, month, year };
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < lunarMinYear || year > lunarMaxYear) {
    throw new RangeError(`lunar dates are computed for ${lunarMinYear}–${lunarMaxYear}, not ${year}`);
  }
}

/** The lunar date of a solar day, computed at UTC+7 (or at another offset, to compare with China's UTC+8). */
export function solarToLunar(date: string, timeZone: number = vietnamTimeZone): LunarDate {
  const { day, month, year } = parseDay(date);
  checkYear(year);
  const dayNumber = julianDay(day, month, year);
  // The month start is the last new-moon day on or before the date. The index k comes from the MEAN
  // lunation, and a true new moon can fall up to ~14 hours from the mean one; where the mean estimate
  // is just before midnight and the true new moon k lands on the day after the date, the reference
  // algorithm (getNewMoonDay(k+1), else getNewMoonDay(k)) took a start after the date and gave lunar
  // day 0 (7/5/2054, 9/4/2062). So search from the estimate in both directions until the start is
  // on or before the date and the next new moon is after it.
  let k = Math.floor((dayNumber - epochNewMoon) / synodicMonth) + 1;
  while (newMoonDay(k, timeZone) > dayNumber) k--;
  while (newMoonDay(k + 1, timeZone) <= dayNumber) k++;
  const monthStart = newMoonDay(k, timeZone);
  let a11 = month11(year, timeZone);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = month11(year - 1, timeZone);
  } else {
    lunarYear = year + 1;
    b11 = month11(year + 1, timeZone);
  }
  const lunarDay = dayNumber - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let leap = false;
  let lunarMonth = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, timeZone);
    if (diff >= leapDiff) {
      lunarMonth = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (lunarMonth > 12) lunarMonth -= 12;
  if (lunarMonth >= 11 && diff < 4) lunarYear -= 1;
  return { day: lunarDay, month: lunarMonth, year: lunarYear, leap };
}

/**
 * The solar day (YYYY-MM-DD) of a lunar date, computed at UTC+7. Throws a RangeError for a date that
 * does not exist: day 30 of a 29-day month, or a leap month the year does not have.
 */
export function lunarToSolar(day: number, month: number, year: number, leap = false, timeZone: number = vietnamTimeZone): string {
  checkYear(year);
  if (!Number.isInteger(day) || day < 1 || day > 30 || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`not a lunar date: ${day}/${month}/${year}`);
  }
  let a11: number;
  let b11: number;
  if (month < 11) {
    a11 = month11(year - 1, timeZone);
    b11 = month11(year, timeZone);
  } else {
    a11 = month11(year, timeZone);
    b11 = month11(year + 1, timeZone);
  }
  const k = Math.floor(0.5 + (a11 - epochNewMoon) / synodicMonth);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, timeZone);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) throw new RangeError(`lunar year ${year} has no leap month ${month}`);
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    throw new RangeError(`lunar year ${year} has no leap month`);
  }
  const solar = dateOfJulianDay(newMoonDay(k + off, timeZone) + day - 1);
  // Day 30 of a 29-day month would spill into the next month: converting back tells.
  const back = solarToLunar(solar, timeZone);
  if (back.day !== day || back.month !== month || back.year !== year || back.leap !== leap) {
    throw new RangeError(`lunar month ${month}${leap ? ' (leap)' : ''} of ${year} has no day ${day}`);
  }
  return solar;
}
