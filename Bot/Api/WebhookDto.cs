using BotEngine.Storage;
using BotEngine.Storage.Webhooks;

namespace BotEngine.Bot.Api;

/// <summary>
/// A webhook subscription as the API shows it: never its secret (<c>secretSet</c> says one is stored), with its
/// deliveries counted by state. <c>secret</c> is filled only in the answer to the POST that made it.
/// </summary>
public sealed record WebhookDto(string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, bool SecretSet,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Pending, long Delivered, long Dead)
{
    public string? Secret { get; init; }

    public static WebhookDto From(WebhookSubscriptionRow row, IReadOnlyDictionary<string, long> counts) => new(
        row.Id, row.Url, row.EventTypes(), row.Description, row.Enabled == 1, row.Secret.Length > 0, row.CreatedBy,
        TimeExtensions.FromMicros(row.CreatedAt), TimeExtensions.FromMicros(row.UpdatedAt),
        counts.GetValueOrDefault(WebhookStore.Pending), counts.GetValueOrDefault(WebhookStore.Delivered), counts.GetValueOrDefault(WebhookStore.Dead));
}
