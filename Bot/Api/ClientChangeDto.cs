using System.Text.Json;
using BotEngine.Storage;
using BotEngine.Storage.Clients;

namespace BotEngine.Bot.Api;

/// <summary>One recorded change of a profile: who, when, what kind, and the profile before and after.</summary>
public sealed record ClientChangeDto(string Id, DateTimeOffset At, string Actor, string Kind, JsonElement? Before, JsonElement? After, string? OtherClientId)
{
    public static ClientChangeDto From(ClientChangeRow row) => new(row.Id, TimeExtensions.FromMicros(row.At), row.Actor, row.Kind,
        row.Before is null ? null : JsonDocument.Parse(row.Before).RootElement, row.After is null ? null : JsonDocument.Parse(row.After).RootElement, row.OtherClientId);
}
