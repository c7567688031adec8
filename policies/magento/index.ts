// Architecture rules: the lessons of shared/platform.md. One rule per file under rules/.
import { PolicyPack } from "@pulumi/policy";
import { productionNetworkHa } from "./rules/production-network-ha";

new PolicyPack("magento", { policies: [productionNetworkHa] });
