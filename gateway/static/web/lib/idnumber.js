// Mainland resident ID numbers (GB 11643-1999), checked on the device with the grid service's
// rule (services/grid/usecases/personal_data.py): 18 characters, province code, a real date of
// birth, the ISO 7064 MOD 11-2 check character. Messages never repeat the number.
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36',
  '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81',
  '82', '83']);

/** The ISO 7064 MOD 11-2 check character of a string of digits. */
export function checkCharacter(digits) {
  let total = 0;
  for (const digit of digits) total = ((total + Number(digit)) * 2) % 11;
  const check = (12 - total) % 11;
  return check === 10 ? 'X' : String(check);
}

/** null when `value` is a valid ID number, else the i18n key of what is wrong. */
export function idNumberProblem(value, today = new Date()) {
  const number = String(value || '').trim().toUpperCase();
  if (number.length !== 18) return 'idnumber.length';
  if (!/^[0-9]{17}[0-9X]$/.test(number)) return 'idnumber.shape';
  if (!PROVINCES.has(number.slice(0, 2))) return 'idnumber.province';
  const [year, month, day] = [number.slice(6, 10), number.slice(10, 12), number.slice(12, 14)].map(Number);
  const born = new Date(Date.UTC(year, month - 1, day));
  if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) {
    return 'idnumber.date';
  }
  if (year < 1900 || born > today) return 'idnumber.date_range';
  if (checkCharacter(number.slice(0, 17)) !== number[17]) return 'idnumber.check';
  return null;
}

/** `4403**********123X`: the area prefix and the last four kept (the server's mask). */
export function maskIdNumber(value) {
  const number = String(value || '').trim().toUpperCase();
  if (number.length < 8) return '*'.repeat(number.length);
  return number.slice(0, 4) + '*'.repeat(number.length - 8) + number.slice(-4);
}
