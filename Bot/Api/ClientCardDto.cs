namespace BotEngine.Bot.Api;

/// <summary>
/// What the workplace shows of a dialog's client and context: the name and channels the engine knows, the client's
/// other dialogs, the slot values the bot collected, the call centre's hold patterns and the KB's topics.
/// </summary>
public sealed record ClientCardDto(
    string ClientId, string? Name, List<ClientChannelDto> Channels, List<PreviousDialogDto> PreviousDialogs,
    Dictionary<string, string> Slots, IReadOnlyList<string> HoldPatterns, List<TopicDto> Topics, string? Topic)
{
    /// <summary>The topic of the article the classifier picks for the client's messages: the page preselects it until a topic is chosen.</summary>
    public string? SuggestedTopic { get; init; }
}
