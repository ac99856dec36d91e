namespace BotEngine.Bot.Api;

/// <param name="Languages">The languages operators serve (a transfer to the queue of one).</param>
/// <param name="Skills">The skills operators have (a transfer to the queue of those who have them).</param>
public sealed record TransferTargetsDto(IReadOnlyList<TransferOperatorDto> Operators, IReadOnlyList<string> Lines, IReadOnlyList<string> Languages, IReadOnlyList<string> Skills);
