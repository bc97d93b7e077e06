package io.tracetics.loader;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** The per-node Quartz job: one bounded run of the pipeline. */
@DisallowConcurrentExecution
public class LoadEventsJob implements Job {
  private final PipelineRunner runner;
  private final long budgetMillis;

  public LoadEventsJob(PipelineRunner runner, long budgetMillis) {
    this.runner = runner;
    this.budgetMillis = budgetMillis;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      runner.runFor(budgetMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // MariaDB down and the like: the next run tries again; nothing was committed half-way.
      throw new JobExecutionException(e, false);
    }
  }
}
