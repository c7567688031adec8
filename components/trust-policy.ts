// The trust policy of a role that an AWS service assumes (EC2 for instance profiles, RDS enhanced monitoring, VPC flow
// logs): one statement, the service principal, sts:AssumeRole.

export function serviceTrustPolicy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}
