namespace BotEngine.Bot.Api;

public sealed record ExamplePageDto(IReadOnlyList<TrainingExampleDto> Examples, long Total);
