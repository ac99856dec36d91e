using System.Text.Json.Nodes;
using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Clients;
using BotEngine.Storage.Messages;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Clients;

/// <summary>
/// Takes what a widget says about its visitor into the visitor's profile. Unsigned values (the pre-chat form) are
/// stored as the visitor's own words and cannot replace a value the site vouched for; signed values are checked
/// against the shared secret first (nothing is stored when the signature fails) and then marked verified. A verified
/// phone, e-mail or contract that another profile has verified too makes the visitor that known client.
/// </summary>
public sealed class ClientIdentity(
    Database database, InboundStore inbound, ClientStore store, ClientProfiles profiles, IOptions<WidgetIdentityOptions> options, TimeProvider time)
{
    private static readonly string[] Contacts = ["phone", "email", "contract"];

    public async Task<IdentityResult> IdentifyAsync(string channel, string conversationId, string accountId, IdentityRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
            throw new ClientProfileException("Send a JSON object with the visitor's fields.", "identity.bad_request");
        var standard = new List<(string Name, string Value)>();
        void Add(string name, string? value)
        {
            if (value is not null)
                standard.Add((name, value));
        }
        Add("firstName", request.FirstName);
        Add("lastName", request.LastName);
        Add("phone", request.Phone);
        Add("email", request.Email);
        Add("contract", request.Contract);
        var custom = (request.Fields ?? []).Select(p => (Name: p.Key, Value: CustomFields.AsText(p.Value))).ToList();
        if (standard.Count == 0 && custom.Count == 0)
            throw new ClientProfileException("Send at least one field (firstName, lastName, phone, email, contract or fields).", "identity.empty");
        var signed = request.Signature is not null;
        if (signed)
            Verify(request, FieldSignature.Order(standard, custom));

        var edit = new ClientProfileEdit(FirstName: request.FirstName, LastName: request.LastName, Phone: request.Phone, Email: request.Email,
            Contract: request.Contract, Fields: request.Fields);
        var supplied = standard.Select(f => f.Name).Concat(custom.Select(f => "fields." + f.Name)).ToList();
        return await ApplyAsync(channel, conversationId, accountId, edit, supplied, signed, "widget", signed ? "sign_in" : "prechat", cancellationToken);
    }

    /// <summary>
    /// A phone number the client shared with a messenger's own button (Telegram's, Viber's, Facebook's): the messenger
    /// vouches that it is the account's number, so it is stored verified, and a known client with that verified number
    /// becomes this client.
    /// </summary>
    public Task<IdentityResult> ShareContactAsync(string channel, string conversationId, string accountId, string phone, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(channel, conversationId, accountId, new ClientProfileEdit(Phone: phone), ["phone"], vouched: true, actor, "contact", cancellationToken);

    /// <summary>
    /// The address a client writes from by e-mail, stored as their e-mail unverified (a From line can be forged), so it
    /// never joins them to another profile that has verified it.
    /// </summary>
    public Task<IdentityResult> NoteEmailAsync(string channel, string conversationId, string accountId, string email, CancellationToken cancellationToken) =>
        ApplyAsync(channel, conversationId, accountId, new ClientProfileEdit(Email: email), ["email"], vouched: false, "email", "contact", cancellationToken);

    private async Task<IdentityResult> ApplyAsync(string channel, string conversationId, string accountId, ClientProfileEdit edit, IReadOnlyList<string> supplied,
        bool vouched, string actor, string kind, CancellationToken cancellationToken)
    {
        var definitions = (await profiles.FieldDefinitionsAsync(cancellationToken)).ToDictionary(d => d.Name, StringComparer.Ordinal);
        return await database.WriteAsync(async (c, t) =>
        {
            var now = time.NowMicros();
            var clientId = await inbound.ResolveClientAsync(c, t, channel, accountId, null, now);
            if (await inbound.BindConversationAsync(c, t, conversationId, channel, accountId, clientId, now) != accountId)
                throw new ForeignAccountException(conversationId);
            var row = await store.LockAsync(c, t, clientId) ?? throw ClientProfileException.NotFound(clientId);
            var before = ClientProfile.From(row);
            var after = ClientProfiles.Apply(before, edit, definitions);
            if (!vouched && before.Verified.FirstOrDefault(v => supplied.Contains(v) && !after.Verified.Contains(v)) is { } confirmed)
                throw new ClientProfileException($"{confirmed}: the site has confirmed this value; it cannot be changed from the chat.", "identity.verified", 409);
            if (vouched)
                after = after with { Verified = [.. after.Verified.Union(supplied.Where(name => HasValue(after, name))).Order(StringComparer.Ordinal)] };
            await ClientStore.UpdateAsync(c, t, after.ToRow(now), ClientProfiles.Change(clientId, actor, kind, before, after, null, now));

            if (vouched)
            {
                foreach (var contact in Contacts.Where(after.Verified.Contains))
                {
                    var value = contact switch { "phone" => after.Phone, "email" => after.Email, _ => after.Contract };
                    var known = (await store.FindByContactAsync(c, t, contact, value!, clientId))
                        .Where(r => ClientProfile.From(r).Verified.Contains(contact)).ToList();
                    if (known.Count != 1 || await ClientStore.OpenDialogsAsync(c, t, known[0].Id, clientId) > 1)
                        continue;
                    var target = await store.LockAsync(c, t, known[0].Id);
                    var merged = await ClientProfiles.MergeLockedAsync(c, t, target!, after.ToRow(now), PreferVerified(after), actor, now);
                    return new IdentityResult(merged.Id, merged.Verified, true);
                }
            }
            return new IdentityResult(clientId, after.Verified, false);
        }, cancellationToken);
    }

    private void Verify(IdentityRequest request, IReadOnlyList<(string Name, string Value)> ordered)
    {
        var secret = options.Value.IdentitySecret;
        if (string.IsNullOrEmpty(secret))
            throw new ClientProfileException("signature: this engine has no widget signing secret (Widget:IdentitySecret), so signed fields cannot be checked.", "identity.no_secret");
        string expected;
        if (string.Equals(options.Value.IdentityScheme, FieldSignature.Md5, StringComparison.OrdinalIgnoreCase))
        {
            expected = FieldSignature.Md5Of(ordered.Select(f => f.Value), secret);
        }
        else
        {
            if (request.Timestamp is not { } ts)
                throw new ClientProfileException("timestamp: required with an HMAC signature (unix seconds when the site signed).", "identity.no_timestamp");
            var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(ts, 0, 253402300799));
            if (age > options.Value.SignatureMaxAge || age < -TimeSpan.FromMinutes(5))
                throw new ClientProfileException("timestamp: the signature is too old (or from the future); sign the fields again.", "identity.expired", 403);
            expected = FieldSignature.HmacOf(ts, ordered, secret);
        }
        if (!FieldSignature.Matches(expected, request.Signature))
            throw new ClientProfileException("signature: it does not match the fields; nothing was stored.", "identity.bad_signature", 403);
    }

    private static bool HasValue(ClientProfile profile, string name) => name switch
    {
        "firstName" => profile.FirstName is not null,
        "lastName" => profile.LastName is not null,
        "phone" => profile.Phone is not null,
        "email" => profile.Email is not null,
        "contract" => profile.Contract is not null,
        _ => name.StartsWith("fields.", StringComparison.Ordinal) && profile.Fields[name[7..]] is not null,
    };

    /// <summary>When a visitor joins a known client, what the site has just vouched for wins over what the profile had.</summary>
    private static Dictionary<string, string> PreferVerified(ClientProfile visitor)
    {
        var choices = ClientProfiles.MergedFields.ToDictionary(f => f, f => visitor.Verified.Contains(f) ? "source" : "target");
        foreach (var (name, _) in visitor.Fields)
            choices["fields." + name] = visitor.Verified.Contains("fields." + name) ? "source" : "target";
        return choices;
    }
}
