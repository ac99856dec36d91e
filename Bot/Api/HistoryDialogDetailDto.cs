namespace BotEngine.Bot.Api;

/// <summary>One dialog for the history panel and its downloads: the listing, timings, events and the transcript.</summary>
public sealed record HistoryDialogDetailDto(HistoryDialogDto Dialog, HistoryTimingsDto Timings, IReadOnlyList<HistoryEventDto> Events, IReadOnlyList<MessageDto> Messages);
