import type { ChildProcess } from 'node:child_process';
export declare function processGroup(child: ChildProcess): { exited: Promise<unknown>; stop(): Promise<void> };
