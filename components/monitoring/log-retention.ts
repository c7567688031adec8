// How long the estate keeps its logs. PCI DSS v4.0 requirement 10.5.1: retain audit log history for at least twelve
// months, with at least the most recent three months immediately available for analysis (docs/telemetry.md).
// CloudWatch Logs keeps every retained event searchable, so one group with 365 days meets both halves.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (allowed values)
export const SECURITY_LOG_RETENTION_DAYS = 365;
