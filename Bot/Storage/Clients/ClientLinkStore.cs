using System.Data.Common;
using Dapper;

namespace BotEngine.Storage.Clients;

/// <summary>Deep-link tokens: stored by hash, redeemed once, by the channel they were made for.</summary>
public sealed class ClientLinkStore(Database database)
{
    public Task InsertAsync(string tokenHash, string clientId, string channel, string createdBy, long now, long expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO client_link_tokens (token_hash, client_id, channel, created_by, created_at, expires_at)
            VALUES (@tokenHash, @clientId, @channel, @createdBy, @now, @expiresAt)
            """, new { tokenHash, clientId, channel, createdBy, now, expiresAt }, t), cancellationToken);

    /// <summary>
    /// Attaches the channel account to the token's client (following merges), with its conversations and the dialogs
    /// held in them (an open one only if the client has no open dialog already), and uses the token up.
    /// </summary>
    public Task<(LinkRedemption Outcome, string? ClientId)> RedeemAsync(
        string tokenHash, string channel, string accountId, string? accountName, long now, Func<string, string?, ClientChangeRow> change, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var token = await c.QuerySingleOrDefaultAsync<(string ClientId, string Channel, long ExpiresAt, long? UsedAt, string? UsedByAccount)>(
                $"SELECT client_id, channel, expires_at, used_at, used_by_account FROM client_link_tokens WHERE token_hash = @tokenHash{database.ForUpdate}",
                new { tokenHash }, t);
            if (token.ClientId is null)
                return (LinkRedemption.Unknown, (string?)null);
            if (token.Channel != channel)
                return (LinkRedemption.WrongChannel, null);
            if (token.UsedAt is not null)
                return (token.UsedByAccount == accountId ? LinkRedemption.AlreadyLinked : LinkRedemption.Used, token.ClientId);
            if (token.ExpiresAt <= now)
                return (LinkRedemption.Expired, null);

            var target = token.ClientId;
            for (var hops = 0; hops < 8 && await c.ExecuteScalarAsync<string?>("SELECT merged_into FROM clients WHERE id = @target", new { target }, t) is { } next; hops++)
                target = next;
            var previous = await c.ExecuteScalarAsync<string?>(
                "SELECT client_id FROM channel_accounts WHERE channel = @channel AND account_id = @accountId", new { channel, accountId }, t);
            await c.ExecuteAsync("""
                INSERT INTO channel_accounts (channel, account_id, client_id, display_name, created_at) VALUES (@channel, @accountId, @target, @accountName, @now)
                ON CONFLICT (channel, account_id) DO UPDATE SET client_id = excluded.client_id
                """, new { channel, accountId, target, accountName, now }, t);
            await c.ExecuteAsync("UPDATE conversations SET client_id = @target WHERE channel = @channel AND account_id = @accountId",
                new { target, channel, accountId }, t);
            await c.ExecuteAsync("""
                UPDATE dialogs SET client_id = @target
                WHERE conversation_id IN (SELECT id FROM conversations WHERE channel = @channel AND account_id = @accountId)
                  AND (state = 'closed' OR NOT EXISTS (SELECT 1 FROM dialogs x WHERE x.client_id = @target AND x.state <> 'closed'))
                """, new { target, channel, accountId }, t);
            await c.ExecuteAsync("UPDATE client_link_tokens SET used_at = @now, used_by_account = @accountId WHERE token_hash = @tokenHash",
                new { now, accountId, tokenHash }, t);
            await c.ExecuteAsync("UPDATE clients SET updated_at = @now WHERE id = @target", new { now, target }, t);
            await ClientStore.InsertChangeAsync(c, t, change(target, previous));
            return (LinkRedemption.Linked, (string?)target);
        }, cancellationToken);
}
