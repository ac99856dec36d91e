using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BotEngine.Engine.Channels;
using BotEngine.Storage;
using BotEngine.Storage.Clients;

namespace BotEngine.Engine.Clients;

/// <summary>
/// Deep links that attach a new channel to a client's profile. A token is 16 random bytes and an HMAC of them under
/// the engine's own key (so a forged token is refused before any lookup), stored only as its hash, single-use and
/// expiring; it fits Telegram's start parameter (base64url, at most 64 characters).
/// </summary>
public sealed class ClientLinks(
    ClientLinkStore links, ClientStore clients, SettingsStore settings, ChannelDirectory channels, IEnumerable<IDeepLinkFormat> formats, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private const int IdBytes = 16;
    private const int MacBytes = 10;
    private byte[]? _key;

    public async Task<DeepLink> CreateAsync(string clientId, string? channel, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(channel))
            throw new ClientProfileException("channel: required (the channel the link attaches, e.g. a Telegram channel's id).", "link.bad_channel");
        var type = channels.TypeOf(channel);
        if (channel != ChannelDirectory.DirectLine && channels.Find(channel) is null)
            throw new ClientProfileException($"channel: '{channel}' is not a configured channel.", "link.bad_channel");
        var format = formats.FirstOrDefault(f => f.ChannelType == type)
            ?? throw new ClientProfileException($"channel: {type} channels have no deep links (supported: {string.Join(", ", formats.Select(f => f.ChannelType))}).", "link.unsupported");
        var client = await clients.FindAsync(clientId, cancellationToken) ?? throw ClientProfileException.NotFound(clientId);
        if (client.MergedInto is { } into)
            throw new ClientProfileException($"Client '{clientId}' was merged into '{into}'; make the link for that profile.", "client.merged", 409);

        var id = RandomNumberGenerator.GetBytes(IdBytes);
        var token = Base64Url.EncodeToString([.. id, .. (await MacAsync(id, cancellationToken))]);
        var now = time.GetUtcNow();
        var expires = now + Lifetime;
        await links.InsertAsync(Hash(token), clientId, channel, actor, TimeExtensions.ToMicros(now), TimeExtensions.ToMicros(expires), cancellationToken);
        return new DeepLink(channel, token, await format.UrlAsync(channels.Find(channel), token, cancellationToken), expires);
    }

    /// <summary>Attaches the account to the token's client; what happened, and the client it belongs to now.</summary>
    public async Task<(LinkRedemption Outcome, string? ClientId)> RedeemAsync(string token, string channel, string accountId, string? accountName, CancellationToken cancellationToken)
    {
        if (!await IsGenuineAsync(token, cancellationToken))
            return (LinkRedemption.Unknown, null);
        var now = time.NowMicros();
        return await links.RedeemAsync(Hash(token), channel, accountId, accountName, now, (clientId, previous) => new ClientChangeRow
        {
            Id = Ids.New(),
            ClientId = clientId,
            At = now,
            Actor = "link",
            Kind = "link",
            After = $$"""{"channel":{{System.Text.Json.JsonSerializer.Serialize(channel)}},"accountId":{{System.Text.Json.JsonSerializer.Serialize(accountId)}}}""",
            OtherClientId = previous == clientId ? null : previous,
        }, cancellationToken);
    }

    private async Task<bool> IsGenuineAsync(string token, CancellationToken cancellationToken)
    {
        if (!Base64Url.IsValid(token))
            return false;
        var raw = Base64Url.DecodeFromChars(token);
        if (raw.Length != IdBytes + MacBytes)
            return false;
        var expected = await MacAsync(raw[..IdBytes], cancellationToken);
        return CryptographicOperations.FixedTimeEquals(raw[IdBytes..], expected);
    }

    private async Task<byte[]> MacAsync(byte[] id, CancellationToken cancellationToken)
    {
        _key ??= Convert.FromBase64String(await settings.GetOrCreateAsync("clients.link_key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), cancellationToken));
        return HMACSHA256.HashData(_key, id)[..MacBytes];
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

}
