using System.Text.Json;

namespace BotEngine.Bot.Api;

/// <summary>One routing or processing event of a dialog (opened, queued, assigned, transferred, closed...).</summary>
public sealed record HistoryEventDto(string Kind, string? OperatorId, DateTimeOffset At, JsonElement? Data);
