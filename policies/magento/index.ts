// Architecture rules: the lessons of the estate (docs/estate.md). One rule per file under rules/.
import { PolicyPack } from "@pulumi/policy";
import { withSdkMetadata } from "../lib/sdk-metadata";
import { adminRoutedToBackOffice } from "./rules/admin-routed-to-back-office";
import { cdnPathsOriginVerified } from "./rules/cdn-paths-origin-verified";
import { cdnServesStaticAndMedia } from "./rules/cdn-serves-static-and-media";
import { efsInEveryComputeAz } from "./rules/efs-in-every-compute-az";
import { magentoHealthCheck } from "./rules/magento-health-check";
import { noSharedPubStatic } from "./rules/no-shared-pub-static";
import { productionDataHa } from "./rules/production-data-ha";
import { productionNetworkHa } from "./rules/production-network-ha";
import { productionWebCapacity } from "./rules/production-web-capacity";
import { reachabilityPolicy } from "./rules/reachability";
import { releaseStaticContent } from "./rules/release-static-content";
import { requiredAccessPolicy } from "./rules/required-access";
import { serversShipLogs } from "./rules/servers-ship-logs";
import { sideAppRoutes } from "./rules/side-app-routes";
import { staticCdnCors } from "./rules/static-cdn-cors";
import { webBootsReleaseImage } from "./rules/web-boots-release-image";
import { webServersShareMedia } from "./rules/web-servers-share-media";

new PolicyPack("magento", {
    policies: withSdkMetadata(__dirname, [
        productionNetworkHa,
        productionDataHa,
        productionWebCapacity,
        noSharedPubStatic,
        releaseStaticContent,
        webBootsReleaseImage,
        webServersShareMedia,
        serversShipLogs,
        efsInEveryComputeAz,
        reachabilityPolicy,
        adminRoutedToBackOffice,
        sideAppRoutes,
        cdnServesStaticAndMedia,
        cdnPathsOriginVerified,
        staticCdnCors,
        magentoHealthCheck,
        requiredAccessPolicy,
    ]),
});
