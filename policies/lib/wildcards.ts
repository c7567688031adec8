// The `*` (any run of characters) and `?` (exactly one) wildcards AWS uses alike in ELB path patterns and in IAM's
// StringLike/ArnLike conditions: case-sensitive, over the whole value.
export function wildcardMatches(pattern: string, value: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(value);
}
