using System.Text.Json;

namespace BotEngine.Bot.Api;

/// <summary>A model of the registry: what it learned, its cross-validated metrics against the live model of its time, the gate's decision.</summary>
public sealed record ModelDto(string Id, DateTimeOffset CreatedAt, string Trigger, string Status, string Reason, long KbRevision, int KbExamples,
    int LabelledExamples, JsonElement Metrics, DateTimeOffset? PromotedAt);
