// Generated storefront lists in the shape of the estate that ran 58 brand stores on one Magento (docs/estate.md).
import { Storefront } from "../../model/edge-plan";

/** `count` brands: each with its domain and www., every third with a shop. name too. */
export function brands(count: number, prefix = ""): Storefront[] {
    return Array.from({ length: count }, (_, i) => {
        const apex = `${prefix}brand-${i + 1}.example`;
        return { code: `brand_${i + 1}`, domains: [apex, `www.${apex}`, ...(i % 3 === 2 ? [`shop.${apex}`] : [])] };
    });
}
