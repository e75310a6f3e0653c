/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sysinfo.c: system.json, the fingerprint of the machine and of the run.
 *
 * Enough to tell, years later and on another machine, what produced a
 * result: CPU and ISA, topology with caches and memory, OS and kernel,
 * compiler and flags, sizeup's version and commit, the clock used and its
 * resolution, the command line, the OpenMP/hwloc/OpenCL environment, the
 * devices measured and the user's labels (instance type, price), and the
 * facts that make two runs of one machine differ (machine.h: microcode,
 * governor, boost, SMT, huge pages, NUMA balancing, kernel command line,
 * hypervisor, product name, BIOS, DIMMs, GPU drivers).  Written to
 * a temporary file and renamed, so a reader never sees half a document.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "sizeup/config.h"
#include "sizeup/energy.h"
#include "sizeup/error.h"
#include "sizeup/fs.h"
#include "sizeup/json.h"
#include "sizeup/machine.h"
#include "sizeup/run.h"
#include "sizeup/timer.h"

extern char **environ;

/* PRETTY_NAME from /etc/os-release, or "" */
static void os_name(char *out, size_t len)
{
  FILE *fp = fopen("/etc/os-release", "r");
  char line[512];

  out[0] = '\0';
  if (!fp)
    return;
  while (fgets(line, sizeof(line), fp)) {
    if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
      char *v = line + 12, *e;
      if (*v == '"')
        v++;
      if ((e = strpbrk(v, "\"\n")))
        *e = '\0';
      snprintf(out, len, "%.200s", v);
      break;
    }
  }
  fclose(fp);
}

static int env_recorded(const char *kv)
{
  static const char *const prefixes[] = {"OMP_", "GOMP_", "KMP_", "HWLOC_", "OCL_",
                                         "POCL_", "OMPI_", "SLURM_JOB", "OPENBLAS_"};
  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
    if (strncmp(kv, prefixes[i], strlen(prefixes[i])) == 0)
      return 1;
  return 0;
}

static void put_environment(su_json_t *j)
{
  su_json_begin_object(j, "environment");
  for (char **e = environ; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    char key[128];
    if (!eq || !env_recorded(*e) || (size_t)(eq - *e) >= sizeof(key))
      continue;
    memcpy(key, *e, (size_t)(eq - *e));
    key[eq - *e] = '\0';
    su_json_str(j, key, eq + 1);
  }
  su_json_end_object(j);
}

/*
 * The user's labels.  Without an `instance` label, the firmware's product
 * name stands for it: on most clouds it is the instance type (c7i.8xlarge),
 * which is what names a machine in reports and keeps its history apart.
 */
static void put_labels(su_json_t *j, const su_run_meta_t *m, const char *product)
{
  int instance = 0;

  su_json_begin_object(j, "labels");
  for (size_t i = 0; i < m->nlabels; i++)
    instance |= strncmp(m->labels[i], "instance=", 9) == 0;
  if (!instance && product && product[0])
    su_json_str(j, "instance", product);
  for (size_t i = 0; i < m->nlabels; i++) {
    const char *eq = strchr(m->labels[i], '=');
    char key[128];
    if (!eq || (size_t)(eq - m->labels[i]) >= sizeof(key))
      continue;
    memcpy(key, m->labels[i], (size_t)(eq - m->labels[i]));
    key[eq - m->labels[i]] = '\0';
    su_json_str(j, key, eq + 1);
  }
  su_json_end_object(j);
}

/* The facts that make two runs of one machine differ (machine.h); an
 * unreadable one is "" here and its reason is under "unreadable". */
static void put_machine(su_json_t *j, const su_machine_t *mc)
{
  su_json_begin_object(j, "machine");
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++)
    su_json_str(j, mc->f[i].key, mc->f[i].value);
  su_json_begin_object(j, "unreadable");
  for (size_t i = 0; i < SU_MACHINE_NFACTS; i++)
    if (mc->f[i].why[0])
      su_json_str(j, mc->f[i].key, mc->f[i].why);
  su_json_end_object(j);
  su_json_end_object(j);
}

/* The topology object, as `sizeup topo --json` prints it. */
static void put_topology(su_json_t *j, su_topo_t *t)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);

  if (mem && su_topo_print_json(t, mem) == SU_OK && fclose(mem) == 0) {
    su_json_raw(j, "topology", buf);
  } else {
    if (mem)
      fclose(mem);
    su_json_str(j, "topology", NULL);
  }
  free(buf);
}

/* Every device the plan measures, once per (backend, device). */
static void put_devices(su_json_t *j, su_plan_t *plan)
{
  su_json_begin_array(j, "devices");
  for (size_t i = 0; i < plan->n; i++) {
    const su_point_t *pt = &plan->points[i];
    int seen = 0, slot = 0;
    su_device_info_t info;
    for (size_t k = 0; k < i && !seen; k++)
      seen = plan->points[k].backend == pt->backend && plan->points[k].device == pt->device;
    if (seen || pt->unsupported[0] || pt->skipped[0])
      continue;
    for (const su_backend_t *const *b = su_backends(); *b && *b != pt->backend; b++)
      slot++;
    memset(&info, 0, sizeof(info));
    if (pt->backend->device_info(plan->backend_ctx[slot], pt->device, &info) != SU_OK)
      continue;
    su_json_begin_object(j, NULL);
    su_json_str(j, "backend", pt->backend->name);
    su_json_str(j, "id", info.id);
    su_json_str(j, "name", info.name);
    su_json_str(j, "vendor", info.vendor);
    su_json_str(j, "version", info.version);
    su_json_raw(j, "facts", info.json[0] ? info.json : "{}");
    su_json_end_object(j);
  }
  su_json_end_array(j);
}

int su_sink_write_system(su_sink_t *r, su_topo_t *t, su_plan_t *plan,
                            const su_run_meta_t *m, int complete)
{
  char path[1100], tmp[1120], buf[256];
  su_topo_summary_t s;
  su_timer_info_t ti;
  su_cpu_isa_t isa;
  su_machine_t *mc;
  struct utsname un;
  su_json_t j;
  FILE *fp;
  int err;

  if ((err = su_topo_summarize(t, &s)) || (err = su_timer_calibrate(&ti)))
    return err;
  if (!(mc = malloc(sizeof(*mc))))
    return su_errorf(SU_ENOMEM, "cannot write system.json");
  su_machine_read(NULL, mc);
  snprintf(path, sizeof(path), "%s/system.json", su_sink_dir(r));
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  unlink(tmp);              /* ours, left by a crash; unlink follows no link */
  if ((err = su_fs_create(tmp, &fp))) {
    free(mc);
    return err;
  }

  su_json_init(&j, fp);
  su_json_begin_object(&j, NULL);
  su_json_int(&j, "schema_version", SU_CSV_SCHEMA_VERSION);
  su_json_str(&j, "run_id", m->run_id);
  su_json_bool(&j, "complete", complete);
  {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    su_json_str(&j, "written_at", buf);
  }
  su_json_begin_object(&j, "sizeup");
  su_json_str(&j, "version", SU_VERSION_STRING);
  su_json_str(&j, "git_commit", SU_GIT_COMMIT);
  su_json_end_object(&j);

  su_json_begin_object(&j, "host");
  if (gethostname(buf, sizeof(buf)) == 0) {
    buf[sizeof(buf) - 1] = '\0';
    su_json_str(&j, "hostname", buf);
  }
  os_name(buf, sizeof(buf));
  su_json_str(&j, "os", buf);
  if (uname(&un) == 0) {
    su_json_str(&j, "kernel", un.release);
    su_json_str(&j, "machine", un.machine);
  }
  su_json_end_object(&j);

  su__cpu_isa(&isa);
  su_json_begin_object(&j, "cpu");
  su_json_str(&j, "model", s.cpu_model);
  su_json_str(&j, "vendor", s.cpu_vendor);
  su_json_str(&j, "arch", s.arch);
  su_json_begin_array(&j, "isa");
  if (isa.sse2) su_json_str(&j, NULL, "sse2");
  if (isa.avx) su_json_str(&j, NULL, "avx");
  if (isa.avx2) su_json_str(&j, NULL, "avx2");
  if (isa.fma) su_json_str(&j, NULL, "fma");
  if (isa.avx512f) su_json_str(&j, NULL, "avx512f");
  su_json_end_array(&j);
  su_json_end_object(&j);
  put_machine(&j, mc);
  put_topology(&j, t);

  su_json_begin_object(&j, "compiler");
  su_json_str(&j, "id", SU_C_COMPILER);
  su_json_str(&j, "flags", SU_C_FLAGS);
  su_json_str(&j, "build_type", SU_BUILD_TYPE);
  su_json_end_object(&j);

  su_json_begin_object(&j, "timer");
  su_json_str(&j, "name", ti.name);
  su_json_u64(&j, "resolution_ns", ti.resolution_ns);
  su_json_double(&j, "overhead_ns", ti.overhead_ns);
  su_json_u64(&j, "min_tick_ns", ti.min_tick_ns);
  su_json_end_object(&j);

  su_json_begin_array(&j, "command_line");
  for (int i = 0; i < m->argc; i++)
    su_json_str(&j, NULL, m->argv[i]);
  su_json_end_array(&j);
  put_environment(&j);
  put_labels(&j, m, su_machine_get(mc, "product_name"));
  put_devices(&j, plan);
  {
    /* where energy is measured, and why not where it is not */
    su_energy_t *e = NULL;
    if (su_energy_open(&e) == SU_OK) {
      su_json_begin_object(&j, "energy");
      su_json_str(&j, "cpu", su_energy_why(e, 0)[0] ? su_energy_why(e, 0)
                                                     : "measured: RAPL package counters");
      su_json_str(&j, "gpu", su_energy_why(e, 1)[0] ? su_energy_why(e, 1)
                                                     : "measured: NVML board energy");
      su_json_end_object(&j);
      su_energy_close(e);
    }
  }
  if (plan->nnotes) {
    /* why a group measured nothing: "opencl: no GPU or accelerator found" */
    su_json_begin_array(&j, "notes");
    for (unsigned i = 0; i < plan->nnotes; i++)
      su_json_str(&j, NULL, plan->notes[i]);
    su_json_end_array(&j);
  }
  if (m->mpi_json)
    su_json_raw(&j, "mpi", m->mpi_json);

  su_json_begin_object(&j, "settings");
  su_json_str(&j, "profile", m->profile);
  su_json_double(&j, "budget_s", m->mo->budget_s);
  su_json_int(&j, "min_reps", m->mo->min_reps);
  su_json_int(&j, "max_reps", m->mo->max_reps);
  su_json_double(&j, "ci_target", m->mo->ci_target);
  su_json_double(&j, "min_sample_s", m->mo->min_sample_s);
  su_json_double(&j, "noise_cv", m->mo->noise_cv);
  su_json_u64(&j, "points", plan->n);
  su_json_end_object(&j);
  su_json_end_object(&j);

  free(mc);
  if ((err = su_json_finish(&j))) {
    fclose(fp);
    unlink(tmp);
    return su_errorf(err, "cannot write '%s'", tmp);
  }
  return su_fs_commit(fp, tmp, path);
}
