namespace BotEngine.Bot.Api;

/// <summary>
/// The workplace's list: the dialogs the operator holds and the waiting ones they could take (all of them for
/// supervisors), oldest first; <see cref="AmberBeforeSeconds"/> is when a response countdown turns amber.
/// </summary>
public sealed record WorkplaceListDto(List<WorkplaceDialogDto> Mine, List<WorkplaceDialogDto> Queue, double AmberBeforeSeconds);
