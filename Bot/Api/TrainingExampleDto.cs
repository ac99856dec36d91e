namespace BotEngine.Bot.Api;

public sealed record TrainingExampleDto(string Id, string Text, string Language, string? ArticleId, bool OutOfScope, string Source, double Weight,
    string? CreatedBy, DateTimeOffset CreatedAt, string? MessageId)
{
    /// <summary>A manual label's place in the frozen evaluation set: true held out from training, false trains, null not decided yet.</summary>
    public bool? HeldOut { get; init; }
}
