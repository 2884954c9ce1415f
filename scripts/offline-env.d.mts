export declare const OFFLINE_ENV: Readonly<Record<string, string>>;
export declare function offlineEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
