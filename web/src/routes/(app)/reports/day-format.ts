/**
 * The daily chart's dates in the workspace's language (uPlot's own labels are English only): "6. Dez." or
 * "Dec 6" on the axis, with the weekday and year in the legend. uPlot places its day ticks at local midnight,
 * so these format in the browser's time zone too.
 */
export function dayFormats(lang: string) {
  const day = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short' });
  const time = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
  const full = new Intl.DateTimeFormat(lang, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return {
    /** An axis tick (seconds since 1970); ticks less than a day apart (a one-day report) show the time. */
    tick: (seconds: number, step = 86_400) => (step < 86_400 ? time : day).format(seconds * 1000),
    full: (seconds: number) => full.format(seconds * 1000),
  };
}
