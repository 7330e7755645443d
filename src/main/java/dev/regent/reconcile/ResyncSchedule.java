package dev.regent.reconcile;

import java.time.Duration;
import java.util.Properties;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/** The periodic resync: a Quartz job that only fires the trigger queue. */
public final class ResyncSchedule implements AutoCloseable {
    private static final String QUEUE = "queue";
    private final Scheduler scheduler;

    public ResyncSchedule(Duration every, TriggerQueue queue) throws SchedulerException {
        var props = new Properties();
        props.setProperty("org.quartz.scheduler.instanceName", "regent-resync");
        props.setProperty("org.quartz.threadPool.threadCount", "1");
        props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        scheduler = new StdSchedulerFactory(props).getScheduler();
        scheduler.getContext().put(QUEUE, queue);
        scheduler.scheduleJob(
                JobBuilder.newJob(FireResync.class).withIdentity("resync").build(),
                TriggerBuilder.newTrigger().withIdentity("resync-every")
                        .startAt(java.util.Date.from(java.time.Instant.now().plus(every)))
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                .withIntervalInMilliseconds(every.toMillis()).repeatForever()
                                .withMisfireHandlingInstructionNextWithRemainingCount())
                        .build());
        scheduler.start();
    }

    @Override
    public void close() throws SchedulerException {
        scheduler.shutdown(false);
    }

    public static final class FireResync implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            try {
                ((TriggerQueue) context.getScheduler().getContext().get(QUEUE)).fire("periodic resync");
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
