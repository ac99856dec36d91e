using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Learning;
using BotEngine.KnowledgeBase;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using BotEngine.Storage.Learning;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline.Turns;

/// <summary>
/// The knowledge base answers: the greeting on a dialog's first message, then the dialog runner (article, scenario,
/// handoff, close); an article that redirects to an external agent makes the agent's first call. A client's pick in a
/// "did you mean" question becomes a training example. The greeting is said once a dialog: a later "hello" that
/// matches the greeting article gets a short "I am listening" instead.
/// </summary>
public sealed class KnowledgeStep(AgentGateway agents, BotResponder planner, SystemTexts texts, IOptions<LearningOptions> learning) : ITurnStep
{
    public async ValueTask<bool> DecideAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var (activity, runner, state) = (turn.Activity, turn.Runner, turn.State);
        var input = BotResponder.ToInput(activity, turn.Language, turn.Dialog);
        var greeting = new List<OutgoingMessage>();
        var messages = new List<OutgoingMessage>();
        TurnOutcome outcome;
        ClarifiedExample? clarified = null;
        var missesBefore = state.ConsecutiveMisses;
        if (IsFirstTurn(state))
        {
            // The greeting goes out on the dialog's first message (every channel has one; not all have a "joined" event).
            var greetState = BotResponder.ReadState(JsonSerializer.Serialize(state, BotResponder.StateJson));
            if (!string.IsNullOrWhiteSpace(activity.Text))
                greetState.RecentTexts.Add(activity.Text.Trim()); // hidden slots of a greeting scenario may use it
            var greeted = runner.Greet(greetState, turn.Language, input.Context);
            if (greeted.Outcome is not TurnOutcome.Continue || greetState.Scenario is not null)
            {
                // The greeting started a scenario: the first text is not the answer to its first question.
                greetState.Greeted = true;
                turn.State = state = greetState;
                greeting.AddRange(greeted.Messages);
                outcome = greeted.Outcome;
            }
            else
            {
                var result = runner.Run(state, input);
                // "Hello" as the first message usually answers with the greeting article itself: then it is the reply, said once.
                if (!result.Messages.Any(m => m.ArticleId is not null && m.ArticleId == greetState.LastArticleId))
                    greeting.AddRange(greeted.Messages);
                state.Greeted = true;
                messages.AddRange(result.Messages);
                outcome = result.Outcome;
                clarified = result.Clarified;
            }
        }
        else
        {
            var result = runner.Run(state, input);
            messages.AddRange(RepeatedGreeting(result.Messages, state, runner.Kb, turn.Language) ? [Listening(turn.Language)] : result.Messages);
            outcome = result.Outcome;
            clarified = result.Clarified;
        }

        PendingAgentCall? call = null;
        if (outcome is TurnOutcome.Redirect redirect)
        {
            // What the article said before /redirect goes out now: it is the client's "please wait".
            call = await agents.PrepareAsync(AgentEventTypes.DialogStarted, redirect.AgentId, turn.Dialog, state, activity, turn.Language, turn.Message.Id, messages.Count > 0, cancellationToken);
            outcome = call is null ? agents.Failed(state, turn.Dialog.Id, $"agent '{redirect.AgentId}' is not registered").Outcome : new TurnOutcome.Continue();
        }
        turn.Plan = planner.Plan(turn, greeting, messages, outcome) with
        {
            AgentCall = call, Miss = Missed(turn, missesBefore, outcome), ClientPick = clarified is null ? null : Pick(clarified, turn),
        };
        return true;
    }

    /// <summary>The turn's answer is the greeting article again (a plain answer, no scenario) in a dialog already greeted.</summary>
    private static bool RepeatedGreeting(IReadOnlyList<OutgoingMessage> messages, DialogState state, KbDocument kb, string language) =>
        state.Greeted && state.Scenario is null && messages.Count > 0
        && kb.Settings.GreetingArticle.GetValueOrDefault(language) is { } greetingId && messages.All(m => m.ArticleId == greetingId);

    private OutgoingMessage Listening(string language) => new(texts.Get("bot.listening", language), [], [], null);

    private TrainingExampleRow Pick(ClarifiedExample clarified, TurnContext turn) => new()
    {
        Id = Ids.New(), Text = clarified.Text, Language = clarified.Language, ArticleId = clarified.ArticleId, Source = TrainingSources.ClientPick,
        Weight = learning.Value.ClientPickWeight, CreatedBy = "client:" + turn.Dialog.ClientId,
    };

    /// <summary>A typed message the runner could not match (its miss count grew), or one that ended with a handoff.</summary>
    private static BotMiss? Missed(TurnContext turn, int missesBefore, TurnOutcome outcome)
    {
        if (string.IsNullOrWhiteSpace(turn.Activity.Text) || turn.Activity.Value is not null)
            return null;
        // An operator's survey ending hands the dialog back by design: the client's last answer is no miss to label.
        if (outcome is TurnOutcome.Handoff { Reason: not DialogRunner.ScenarioDone })
            return new BotMiss(turn.Message.Id, BotMiss.HandedOff);
        return turn.State.ConsecutiveMisses > missesBefore ? new BotMiss(turn.Message.Id, BotMiss.NotUnderstood) : null;
    }

    internal static bool IsFirstTurn(DialogState state) =>
        !state.Greeted && state.RecentTexts.Count == 0 && state.LastArticleId is null && state.Scenario is null && state.Slots.Count == 0
        && state.ConsecutiveMisses == 0 && state.ExternalAgentId is null;
}
