using System.Text.Json;

namespace BotEngine.Handoff.Tests;

public class TimerPolicyTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMinutes(1);

    /// <summary>Plays the host: keeps the state and the timer table, fires what is due when the clock moves.</summary>
    private sealed class Host(TimerSettings settings)
    {
        public ManualTimeProvider Clock { get; } = new();
        public TimerState State { get; private set; } = TimerState.Initial;
        public List<DueTimer> Table { get; private set; } = [];
        public List<TimerAction> Actions { get; } = [];
        public int StaleFires { get; private set; }
        public TimerPolicy Policy { get; set; } = null!;

        public Host Init()
        {
            Policy = new TimerPolicy(Clock);
            return this;
        }

        public void Send(TimerEvent e) => Apply(Policy.Handle(State, e, settings));

        /// <summary>Moves the clock, firing due timers in order at their due time, like a poller would.</summary>
        public void Advance(TimeSpan by)
        {
            var end = Clock.GetUtcNow() + by;
            while (Table.Where(t => t.DueAt <= end).OrderBy(t => t.DueAt).FirstOrDefault() is { } next)
            {
                Clock.SetUtcNow(next.DueAt);
                Send(new TimerEvent.Fired(next.Kind));
            }

            Clock.SetUtcNow(end);
        }

        public void Restart(TimerSettings? newSettings = null)
        {
            // Only the stored state and table survive; the policy object is new.
            var json = JsonSerializer.Serialize(State);
            State = JsonSerializer.Deserialize<TimerState>(json)!;
            settings = newSettings ?? settings;
            Policy = new TimerPolicy(Clock);
        }

        private void Apply(TimerOutcome o)
        {
            State = o.State;
            Table = o.Timers.ToList();
            Actions.AddRange(o.Actions);
            if (o.Stale)
            {
                StaleFires++;
            }
        }
    }

    private static Host Start(TimerSettings s) => new Host(s).Init();

    private static TimerSettings Off => new() { IdleTimeout = null };

    [Fact]
    public void Operator_response_timeout_requeues_when_the_operator_stays_silent()
    {
        var h = Start(Off with { OperatorResponseTimeout = 2 * Min });
        h.Send(new TimerEvent.Assigned());
        Assert.Equal([new DueTimer(TimerKind.OperatorResponse, h.Clock.GetUtcNow() + 2 * Min)], h.Table);

        h.Advance(Min);
        h.Send(new TimerEvent.OperatorMessage("Здравствуйте"));
        Assert.Empty(h.Table); // answered

        h.Send(new TimerEvent.ClientMessage());
        h.Advance(Min);
        h.Send(new TimerEvent.ClientMessage()); // a second client message does not restart the clock
        h.Advance(Min - TimeSpan.FromSeconds(1));
        Assert.Empty(h.Actions);
        h.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([new TimerAction.Requeue()], h.Actions);
        Assert.False(h.State.WithOperator);
        Assert.Empty(h.Table);
    }

    [Fact]
    public void Client_reminder_detach_and_auto_close_in_order()
    {
        var h = Start(Off with
        {
            ClientReminderAfter = 2 * Min, ClientReminderMessage = "Вы ещё здесь?",
            ClientDetachAfter = 5 * Min, ClientDetachMessage = "Оператор освободился, напишите, когда будете готовы",
            ClientAutoCloseAfter = 30 * Min, ClientAutoCloseMessage = "Диалог закрыт",
        });
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("Чем помочь?"));

        h.Advance(2 * Min);
        Assert.Equal([new TimerAction.SendToClient("Вы ещё здесь?")], h.Actions);
        h.Advance(3 * Min);
        Assert.Equal(new TimerAction.Detach("Оператор освободился, напишите, когда будете готовы"), h.Actions[^1]);
        Assert.True(h.State.Detached);
        Assert.Equal([TimerKind.ClientAutoClose], h.Table.Select(t => t.Kind));

        h.Advance(25 * Min);
        Assert.Equal(new TimerAction.Close(CloseReason.ClientTimeout, "Диалог закрыт"), h.Actions[^1]);
        Assert.True(h.State.Closed);
        Assert.Empty(h.Table);
        Assert.Equal(3, h.Actions.Count);
    }

    [Fact]
    public void Client_answer_stops_client_timeouts_and_detach_can_be_silent()
    {
        var h = Start(Off with { ClientDetachAfter = 5 * Min });
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("Уточните номер договора"));
        h.Advance(4 * Min);
        h.Send(new TimerEvent.ClientMessage());
        h.Advance(10 * Min);
        Assert.Empty(h.Actions);

        h.Send(new TimerEvent.OperatorMessage("Спасибо, что-то ещё?"));
        h.Advance(5 * Min);
        Assert.Equal([new TimerAction.Detach(null)], h.Actions);

        // The client's next message: the host re-queues (DialogActions.Reattach); operator timers restart on assignment.
        h.Send(new TimerEvent.ClientMessage());
        Assert.False(h.State.Detached);
        Assert.False(h.State.WithOperator);
    }

    [Fact]
    public void Hold_pattern_starts_operator_hold_that_client_messages_do_not_stop()
    {
        var h = Start(Off with
        {
            HoldPatterns = ["Одну минуту, уточняю"],
            HoldOperatorTimeout = 3 * Min, HoldOperatorMessage = "Оператор ещё уточняет информацию",
            OperatorResponseTimeout = 2 * Min,
        });
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("  одну   минуту, УТОЧНЯЮ "));
        Assert.Equal(new HoldState(HoldKind.Operator, h.Clock.GetUtcNow()), h.State.Hold);

        h.Advance(Min);
        h.Send(new TimerEvent.ClientMessage()); // does not stop the hold, and no response timeout while on hold
        Assert.Equal([TimerKind.HoldOperator], h.Table.Select(t => t.Kind));
        h.Advance(2 * Min);
        Assert.Equal([new TimerAction.SendToClient("Оператор ещё уточняет информацию")], h.Actions);
        Assert.Null(h.State.Hold);
        // The hold is over and the client's message is unanswered: the response timeout runs from the hold message.
        Assert.Equal([new DueTimer(TimerKind.OperatorResponse, h.Clock.GetUtcNow() + 2 * Min)], h.Table);
        h.Advance(2 * Min);
        Assert.Equal(new TimerAction.Requeue(), h.Actions[^1]);
    }

    [Fact]
    public void New_operator_message_restarts_hold_and_cancel_stops_it()
    {
        var h = Start(Off with { HoldPatterns = ["Минуту"], HoldOperatorTimeout = 3 * Min, HoldOperatorMessage = "Ждите" });
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("Минуту"));
        h.Advance(2 * Min);
        h.Send(new TimerEvent.OperatorMessage("Минуту"));
        Assert.Equal(h.Clock.GetUtcNow() + 3 * Min, h.Table.Single().DueAt);
        h.Advance(2 * Min);
        Assert.Empty(h.Actions);

        h.Send(new TimerEvent.CancelHold());
        Assert.Null(h.State.Hold);
        Assert.Empty(h.Table);
        h.Advance(10 * Min);
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Any_other_operator_message_starts_client_hold_that_a_client_message_stops()
    {
        var h = Start(Off with { HoldPatterns = ["Минуту"], HoldClientTimeout = 4 * Min, HoldClientMessage = "Ждём вашего ответа" });
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("Назовите, пожалуйста, город"));
        Assert.Equal(HoldKind.Client, h.State.Hold!.Kind);
        h.Advance(3 * Min);
        h.Send(new TimerEvent.ClientMessage());
        Assert.Null(h.State.Hold);
        h.Advance(10 * Min);
        Assert.Empty(h.Actions);

        h.Send(new TimerEvent.OperatorMessage("А район?"));
        h.Advance(3 * Min);
        h.Send(new TimerEvent.OperatorMessage("И улицу")); // restarts
        h.Advance(3 * Min);
        Assert.Empty(h.Actions);
        h.Advance(Min);
        Assert.Equal([new TimerAction.SendToClient("Ждём вашего ответа")], h.Actions);
    }

    [Fact]
    public void Idle_on_both_sides_for_ten_minutes_closes_by_default()
    {
        var h = Start(new TimerSettings { IdleCloseMessage = "Закрываем диалог из-за неактивности" });
        Assert.Equal(TimeSpan.FromMinutes(10), new TimerSettings().IdleTimeout);
        h.Send(new TimerEvent.Assigned());
        h.Advance(9 * Min);
        h.Send(new TimerEvent.ClientMessage());
        h.Advance(9 * Min);
        h.Send(new TimerEvent.OperatorMessage("ok"));
        h.Advance(9 * Min);
        Assert.Empty(h.Actions);
        h.Advance(Min);
        Assert.Equal([new TimerAction.Close(CloseReason.Idle, "Закрываем диалог из-за неактивности")], h.Actions);
    }

    [Fact]
    public void Queued_dialog_has_no_timers_and_release_stops_operator_timers()
    {
        var s = new TimerSettings { OperatorResponseTimeout = Min, ClientReminderAfter = Min, ClientReminderMessage = "?" };
        var h = Start(s);
        h.Send(new TimerEvent.ClientMessage());
        Assert.Empty(h.Table); // in the queue or with the bot: nothing runs

        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("hi"));
        h.Send(new TimerEvent.Released()); // transferred / requeued
        Assert.Empty(h.Table);
        h.Advance(20 * Min);
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Late_duplicate_or_outdated_fires_are_ignored()
    {
        var h = Start(Off with { OperatorResponseTimeout = 2 * Min });
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.Fired(TimerKind.OperatorResponse)); // too early (clock skew between nodes)
        Assert.Equal(1, h.StaleFires);

        h.Send(new TimerEvent.OperatorMessage("hi"));
        h.Clock.Advance(5 * Min);
        h.Send(new TimerEvent.Fired(TimerKind.OperatorResponse)); // row from before the answer
        h.Send(new TimerEvent.Fired(TimerKind.Idle));
        Assert.Equal(3, h.StaleFires);
        Assert.Empty(h.Actions);

        h.Send(new TimerEvent.Closed());
        h.Send(new TimerEvent.Fired(TimerKind.Idle));
        Assert.Equal(4, h.StaleFires);
    }

    [Fact]
    public void Timers_survive_a_restart_through_stored_state()
    {
        var settings = Off with { ClientAutoCloseAfter = 15 * Min, ClientAutoCloseMessage = "bye" };
        var h = Start(settings);
        h.Send(new TimerEvent.Assigned());
        h.Send(new TimerEvent.OperatorMessage("Есть ещё вопросы?"));
        h.Advance(10 * Min);
        var tableBefore = h.Table.ToList();

        h.Restart();
        Assert.Equal(tableBefore, TimerPolicy.DueTimers(h.State, settings));
        h.Advance(5 * Min);
        Assert.Equal([new TimerAction.Close(CloseReason.ClientTimeout, "bye")], h.Actions);
    }

    [Fact]
    public void Settings_are_validated()
    {
        Assert.True(new TimerSettings().Validate().IsSuccess);
        Assert.False(new TimerSettings { OperatorResponseTimeout = TimeSpan.Zero }.Validate().IsSuccess);
        Assert.False(new TimerSettings { HoldOperatorTimeout = Min }.Validate().IsSuccess);
        Assert.False(new TimerSettings { ClientReminderAfter = Min }.Validate().IsSuccess);
        Assert.False(new TimerSettings { HoldPatterns = ["x"] }.IsHoldPattern(null));
    }
}
