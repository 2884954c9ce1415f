/**
 * Structured JSON logs, one object per line. Callers pass fields, never raw
 * headers or bodies, so tokens and keys cannot leak into logs by accident.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

export function createLogger(options: { level?: LogLevel; sink?: LogSink; fields?: LogFields; clock?: () => Date } = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const sink = options.sink ?? consoleSink;
  const base = options.fields ?? {};
  const clock = options.clock ?? (() => new Date());
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    sink(JSON.stringify({ ts: clock().toISOString(), level, msg, ...base, ...fields }), level);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
