namespace BotEngine.Nlu;

public sealed record TrainingExample(string Text, string Intent, ExampleSource Source = ExampleSource.KbPhrasing, float Weight = 1f);
