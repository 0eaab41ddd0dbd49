// One configured dayjs for the whole app: UTC and IANA time-zone support,
// relative times, and the Chinese locale loaded (the default language).
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import relativeTime from 'dayjs/plugin/relativeTime';
import duration from 'dayjs/plugin/duration';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(relativeTime);
dayjs.extend(duration);
dayjs.locale('zh-cn');

export default dayjs;
export type { Dayjs } from 'dayjs';
