using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>The bot cannot read a file: it says so without counting a miss; operators see the file in the history.</summary>
public sealed class FilesOnlyStep(SystemTexts texts, BotResponder planner) : ITurnStep
{
    public ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (!string.IsNullOrWhiteSpace(activity.Text) || activity.Attachments is not { Count: > 0 } || activity.Value is not null)
            return ValueTask.FromResult(false);
        turn.Plan = planner.Plan(turn, [], [new OutgoingMessage(texts.Get("bot.file_received", turn.Language), [], [], null)], new TurnOutcome.Continue());
        return ValueTask.FromResult(true);
    }
}
