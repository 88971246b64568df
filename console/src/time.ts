/**
 * A moment the API gives in UTC (ISO 8601), as officials read it: Beijing time, `YYYY-MM-DD HH:mm`,
 * whatever the browser's own time zone.
 */
const BEIJING = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function beijingTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : BEIJING.format(d);
}
