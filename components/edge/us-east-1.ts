// CloudFront reads its viewer certificate from ACM in us-east-1 only, and CloudFront's log delivery sources live
// there too: the components that need them get an explicit provider for that region.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const CLOUDFRONT_REGION = "us-east-1";

/**
 * A provider for us-east-1, child of `parent`. Like the stack's provider it sets no default tags: resources carry
 * their tags explicitly, so that policies (which never see provider default tags) see them.
 */
export function cloudFrontRegionProvider(name: string, parent: pulumi.Resource): aws.Provider {
    return new aws.Provider(`${name}-${CLOUDFRONT_REGION}`, { region: CLOUDFRONT_REGION }, { parent });
}
