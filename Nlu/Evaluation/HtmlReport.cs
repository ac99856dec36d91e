namespace BotEngine.Nlu.Evaluation;

public static class HtmlReport
{
    public static string Render(EvaluationResult result, IntentModel model, string? trainName, string? testName)
        => "<!doctype html><html><body><p>report pending</p></body></html>";
}
