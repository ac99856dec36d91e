namespace BotEngine.Bot.Api;

/// <summary>A dialog an operator holds, on monitoring: the client's name and since when the operator has it.</summary>
public sealed record OperatorDialogDto(string Id, string? ClientName, string? Channel, DateTimeOffset? Since);
