namespace BotEngine.Bot.Api;

public sealed record LabelResultDto(int Labelled, IReadOnlyList<TrainingExampleDto> Examples);
