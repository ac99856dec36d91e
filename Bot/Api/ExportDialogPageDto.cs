namespace BotEngine.Bot.Api;

/// <summary>A page of exported dialogs; <c>nextCursor</c> (with the same query) continues, null on the last page.</summary>
public sealed record ExportDialogPageDto(IReadOnlyList<ExportDialogDto> Dialogs, string? NextCursor);
