// A key used only through the named AWS service in this region, never by a direct KMS call from whoever holds the grant.
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
export function viaService(service: string, region: string) {
    return { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com` } };
}
