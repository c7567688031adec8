// Security and reliability baseline. One rule per file under rules/.
import { PolicyPack } from "@pulumi/policy";
import { noInternetIngress } from "./rules/no-internet-ingress";

new PolicyPack("aws-baseline", { policies: [noInternetIngress] });
