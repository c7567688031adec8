// Where the release's image comes from, as the stack configures it (`magento:webImage`).

/** Where the release's image id comes from: pinned in the stack, or the SSM parameter the image pipeline writes. */
export type ImageSource = { readonly amiId: string } | { readonly parameterName: string };
