using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Schema;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// "Send this, expect that" for one client, run against an in-process engine: the steps queue up and run in order when
/// the flow is awaited. Each expectation waits on the engine's change feed (never a fixed sleep) and fails with what came instead.
/// <code>
/// await engine.Flow()
///     .Send("Как заблокировать карту?").ExpectReply(r => r.Text!.StartsWith("Заблокировать"))
///     .Send("Позовите оператора").ExpectHandoff();
/// </code>
/// </summary>
public sealed class TestFlow(FlowClient client)
{
    /// <summary>What the clock moves on by while an expectation after <see cref="AdvanceTime"/> waits (the loops' poll interval).</summary>
    public static readonly TimeSpan TimerNudge = TimeSpan.FromSeconds(1);

    private readonly List<Func<Task>> _steps = [];
    // Set by AdvanceTime until the next send: what comes next is due to the clock, so waiting may move it on a little.
    private TimeSpan? _nudge;

    public FlowClient Client => client;

    public TestFlow Send(string text, JsonNode? value = null, string? clientActivityId = null) =>
        Step(async () =>
        {
            _nudge = null;
            await client.SendAsync(text, value, clientActivityId);
        });

    /// <summary>Presses a button of the last matched reply.</summary>
    public TestFlow Press(string title) =>
        Step(async () =>
        {
            _nudge = null;
            await client.PressAsync(title);
        });

    /// <summary>Presses the first button of the last matched reply that satisfies <paramref name="which"/>.</summary>
    public TestFlow Press(Func<CardAction, bool> which) =>
        Step(async () =>
        {
            _nudge = null;
            var button = client.LastReply?.Buttons.FirstOrDefault(which)
                ?? throw new Xunit.Sdk.XunitException($"The reply \"{client.LastReply?.Text}\" has no such button.");
            await client.PressAsync(button.Title!);
        });

    /// <summary>The next answer to the last message sent has exactly this text (see <see cref="ExpectAnswer(Action{FlowReply})"/>).</summary>
    public TestFlow ExpectAnswer(string text) =>
        ExpectAnswer(r => Assert.True(r.Text == text, $"Expected the answer \"{text}\", got \"{r.Text}\" (from {r.Author})."));

    /// <summary>
    /// The next reply that answers the last message sent passes the assertions in <paramref name="inspect"/>. Replies that
    /// answer no message (a new dialog's greeting, a queue notice) are skipped, as a client's eye skips them.
    /// </summary>
    public TestFlow ExpectAnswer(Action<FlowReply> inspect) =>
        Step(async () =>
        {
            var sent = client.LastSentId;
            inspect(await client.ReplyMatchingAsync(r => r.ReplyToId == sent, $"an answer to message {sent}", _nudge));
        });

    /// <summary>The next reply has exactly this text.</summary>
    public TestFlow ExpectReply(string text) =>
        Step(async () =>
        {
            var reply = await client.NextReplyAsync(_nudge);
            Assert.True(reply.Text == text, $"Expected the reply \"{text}\", got \"{reply.Text}\" (from {reply.Author}).");
        });

    /// <summary>The next reply satisfies <paramref name="check"/> (a predicate).</summary>
    public TestFlow ExpectReply(Func<FlowReply, bool> check, [CallerArgumentExpression(nameof(check))] string? what = null) =>
        Step(async () =>
        {
            var reply = await client.NextReplyAsync(_nudge);
            Assert.True(check(reply), $"The reply \"{reply.Text}\" (from {reply.Author}) does not satisfy {what}.");
        });

    /// <summary>The next reply passes the assertions in <paramref name="inspect"/>.</summary>
    public TestFlow ExpectReply(Action<FlowReply> inspect) =>
        Step(async () => inspect(await client.NextReplyAsync(_nudge)));

    /// <summary>Replies are skipped until one satisfies <paramref name="match"/> (for notices whose order is not the point).</summary>
    public TestFlow ExpectReplyEventually(Func<FlowReply, bool> match, [CallerArgumentExpression(nameof(match))] string? what = null) =>
        Step(() => client.ReplyMatchingAsync(match, what ?? "a matching reply", _nudge));

    /// <summary>The turn of the last message ran and sent nothing more than what was already read.</summary>
    public TestFlow ExpectNoMoreReplies() =>
        Step(async () =>
        {
            await client.WaitForTurnAsync(client.LastSentId ?? throw new InvalidOperationException("Nothing was sent."));
            await client.PollAsync();
            var unread = client.Unread;
            Assert.True(unread.Count == 0, $"Expected no more replies, got: {string.Join(" | ", unread)}.");
        });

    /// <summary>The dialog left the bot for the operators' queue (or was taken by one already).</summary>
    public TestFlow ExpectHandoff(Action<StoredDialog>? inspect = null) =>
        ExpectDialog(d => d.State is DialogStates.Queued or DialogStates.Assigned or DialogStates.Active, "handed off", inspect);

    /// <summary>The dialog reaches the state <paramref name="state"/>.</summary>
    public TestFlow ExpectDialogState(string state, Action<StoredDialog>? inspect = null) =>
        ExpectDialog(d => d.State == state, "in state " + state, inspect);

    /// <summary>The dialog comes to satisfy <paramref name="holds"/>.</summary>
    public TestFlow ExpectDialog(Func<StoredDialog, bool> holds, [CallerArgumentExpression(nameof(holds))] string? what = null, Action<StoredDialog>? inspect = null) =>
        Step(async () =>
        {
            var dialog = await client.Engine.WaitAsync(async () =>
            {
                var row = await client.DialogAsync();
                return holds(row) ? row : null;
            }, $"dialog {client.DialogId} {what}", _nudge);
            inspect?.Invoke(dialog);
        });

    /// <summary>Moves the engine's clock; expectations after it may move it on by <see cref="TimerNudge"/> while they wait.</summary>
    public TestFlow AdvanceTime(TimeSpan by) =>
        Step(() =>
        {
            client.Engine.Advance(by);
            _nudge = TimerNudge;
            return Task.CompletedTask;
        });

    /// <summary>Any other step: an operator's action through the API, an assertion on stored state.</summary>
    public TestFlow Then(Func<FlowClient, Task> step) => Step(() => step(client));

    public TestFlow Then(Action<FlowClient> step) =>
        Step(() =>
        {
            step(client);
            return Task.CompletedTask;
        });

    /// <summary>Runs the queued steps in order; a flow runs once.</summary>
    public async Task RunAsync()
    {
        var steps = _steps.ToList();
        _steps.Clear();
        for (var i = 0; i < steps.Count; i++)
        {
            try
            {
                await steps[i]();
            }
            catch (Exception ex) when (ex is not FlowStepException)
            {
                throw new FlowStepException(i + 1, steps.Count, ex);
            }
        }
    }

    public TaskAwaiter GetAwaiter() => RunAsync().GetAwaiter();

    private TestFlow Step(Func<Task> step)
    {
        _steps.Add(step);
        return this;
    }
}
