namespace BotEngine.Bot.Api;

public sealed record TransferTargetsDto(IReadOnlyList<TransferOperatorDto> Operators, IReadOnlyList<string> Lines);
