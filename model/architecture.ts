// The CPU architecture of an instance type: which image fits it (read by the program and by stack validation, which
// must not load the AWS SDK to decide it).

/** Graviton families carry a "g" after the generation digit: t4g, m7g, c6gn, r6gd, g5g (not g5, a GPU family). */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
    return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}
