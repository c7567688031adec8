// The benchmark's floor: a program that registers no resources, so a run measures only the harness (ts-node, mock runtime, packs).
export {};
