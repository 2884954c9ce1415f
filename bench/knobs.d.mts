export declare function positiveNumber(name: string, fallback: number): number;
