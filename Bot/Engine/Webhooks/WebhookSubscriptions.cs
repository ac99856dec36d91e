using System.Security.Cryptography;
using BotEngine.Storage;
using BotEngine.Storage.Webhooks;

namespace BotEngine.Engine.Webhooks;

/// <summary>
/// What administrators do with webhook subscriptions: create (the secret is shown once, in the answer), edit, remove,
/// read the delivery log and replay a delivery. Every refusal names the field.
/// </summary>
public sealed class WebhookSubscriptions(WebhookStore store, TimeProvider time)
{
    private const int MaxUrlLength = 2000;
    private const int MinSecretLength = 16;
    private const int MaxSecretLength = 256;
    private const int MaxDescriptionLength = 200;

    public Task<IReadOnlyList<WebhookSubscriptionRow>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<WebhookSubscriptionRow> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) ?? throw new WebhookException($"Webhook '{id}' does not exist.", 404, "webhook.not_found");

    /// <summary>Creates a subscription; events stored before it are not sent.</summary>
    public async Task<WebhookSubscriptionRow> CreateAsync(WebhookRequest? request, string createdBy, CancellationToken cancellationToken)
    {
        if (request is null)
            throw new WebhookException("Send {\"url\", \"events\": [...], \"secret\"?, \"description\"?, \"enabled\"?}.", 400, "webhook.body");
        var now = time.NowMicros();
        var row = new WebhookSubscriptionRow
        {
            Id = Ids.New(),
            Url = CheckUrl(request.Url),
            Events = CheckEvents(request.Events),
            Secret = request.Secret is null ? NewSecret() : CheckSecret(request.Secret),
            Description = CheckDescription(request.Description),
            Enabled = request.Enabled == false ? 0 : 1,
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
            CapturedUntil = now,
        };
        await store.InsertAsync(row, cancellationToken);
        return row;
    }

    /// <summary>Changes what the request names; what it leaves out (the secret included) stays.</summary>
    public async Task<WebhookSubscriptionRow> UpdateAsync(string id, WebhookRequest? request, CancellationToken cancellationToken)
    {
        var row = await GetAsync(id, cancellationToken);
        if (request is null)
            throw new WebhookException("Send the fields to change: url, events, secret, description, enabled.", 400, "webhook.body");
        var updated = row with
        {
            Url = request.Url is null ? row.Url : CheckUrl(request.Url),
            Events = request.Events is null ? row.Events : CheckEvents(request.Events),
            Secret = request.Secret is null ? row.Secret : CheckSecret(request.Secret),
            Description = request.Description is null ? row.Description : CheckDescription(request.Description),
            Enabled = request.Enabled is { } enabled ? (enabled ? 1 : 0) : row.Enabled,
            UpdatedAt = time.NowMicros(),
        };
        if (!await store.UpdateAsync(updated, cancellationToken))
            throw new WebhookException($"Webhook '{id}' does not exist.", 404, "webhook.not_found");
        return updated;
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken))
            throw new WebhookException($"Webhook '{id}' does not exist.", 404, "webhook.not_found");
    }

    public Task<IReadOnlyDictionary<string, long>> CountsAsync(string id, CancellationToken cancellationToken) => store.CountsAsync(id, cancellationToken);

    public async Task<IReadOnlyList<WebhookDeliveryRow>> DeliveriesAsync(string id, string? state, long? beforeAt, string? beforeId, int limit, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken);
        if (state is not null and not (WebhookStore.Pending or WebhookStore.Delivered or WebhookStore.Dead))
            throw new WebhookException($"state: '{state}' is not one of pending, delivered, dead.", 400, "webhook.state");
        return await store.DeliveriesAsync(id, state, beforeAt, beforeId, limit, cancellationToken);
    }

    /// <summary>Sends a dead (or already delivered) delivery again with fresh attempts.</summary>
    public async Task ReplayAsync(string id, string deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await store.FindDeliveryAsync(id, deliveryId, cancellationToken)
            ?? throw new WebhookException($"Delivery '{deliveryId}' of webhook '{id}' does not exist.", 404, "webhook.delivery_not_found");
        if (delivery.State == WebhookStore.Pending || !await store.ReplayAsync(id, deliveryId, time.NowMicros(), cancellationToken))
            throw new WebhookException($"Delivery '{deliveryId}' is still pending; only a dead or delivered one is replayed.", 409, "webhook.delivery_pending");
    }

    private static string CheckUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            throw new WebhookException("url: required (an absolute http or https address).", 400, "webhook.url");
        if (url.Length > MaxUrlLength)
            throw new WebhookException($"url: at most {MaxUrlLength} characters.", 400, "webhook.url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw new WebhookException($"url: '{url}' is not an absolute http or https address.", 400, "webhook.url");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new WebhookException("url: must not carry a user name or password (the signature authenticates the engine).", 400, "webhook.url");
        return uri.AbsoluteUri;
    }

    private static string CheckEvents(string[]? events)
    {
        if (events is null || events.Length == 0)
            throw new WebhookException($"events: name at least one of {string.Join(", ", WebhookEventTypes.All)}.", 400, "webhook.events");
        for (var i = 0; i < events.Length; i++)
            if (events[i] is null || !WebhookEventTypes.All.Contains(events[i]))
                throw new WebhookException($"events[{i}]: '{events[i]}' is not one of {string.Join(", ", WebhookEventTypes.All)}.", 400, "webhook.events");
        return string.Join(',', events.Distinct(StringComparer.Ordinal));
    }

    private static string CheckSecret(string secret) =>
        secret.Length is >= MinSecretLength and <= MaxSecretLength && secret.All(ch => ch is > ' ' and < (char)127)
            ? secret
            : throw new WebhookException($"secret: {MinSecretLength} to {MaxSecretLength} printable ASCII characters without spaces.", 400, "webhook.secret");

    private static string? CheckDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? throw new WebhookException($"description: at most {MaxDescriptionLength} characters.", 400, "webhook.description")
            : (string.IsNullOrWhiteSpace(description) ? null : description.Trim());

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
