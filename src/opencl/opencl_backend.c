/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * opencl_backend.c: the OpenCL backend descriptor: platform and device
 * enumeration through the ICD loader, device facts for system.json (with the
 * device's PCI bus id and its hwloc I/O locality), the program cache, the
 * one error path for OpenCL statuses and the watchdog wait.
 *
 * Devices are numbered flat, platform by platform, in the order the ICD
 * loader reports them; their stable selector is "P:D".  A context and an
 * in-order profiling queue are created per device on first use, so that a
 * device that is never selected costs nothing and cannot fail a run.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opencl/opencl.h" /* first: it selects the OpenCL API version */

#include <CL/cl_ext.h>
#include <hwloc.h>
#include <hwloc/opencl.h>

#include "sizeup/error.h"
#include "sizeup/timer.h"
#include "sizeup/topo.h"

#ifndef CL_PLATFORM_NOT_FOUND_KHR
#define CL_PLATFORM_NOT_FOUND_KHR -1001
#endif

static const su_kernel_ops_t *const su_opencl_kernels[] = {
  &su_opencl_stream_copy_ops,
  &su_opencl_stream_scale_ops,
  &su_opencl_stream_add_ops,
  &su_opencl_stream_triad_ops,
  &su_opencl_stream_dot_ops,
  &su_opencl_fma_peak_ops,
  &su_opencl_gemm_ops,
  &su_opencl_transfer_h2d_ops,
  &su_opencl_transfer_d2h_ops,
  &su_opencl_transfer_d2d_ops,
  &su_opencl_launch_latency_ops,
  NULL
};

/* ---- status names and the one failure path ------------------------------ */

const char *su__cl_status_name(cl_int st)
{
  switch (st) {
#define C(x) case x: return #x;
  C(CL_SUCCESS) C(CL_DEVICE_NOT_FOUND) C(CL_DEVICE_NOT_AVAILABLE)
  C(CL_COMPILER_NOT_AVAILABLE) C(CL_MEM_OBJECT_ALLOCATION_FAILURE)
  C(CL_OUT_OF_RESOURCES) C(CL_OUT_OF_HOST_MEMORY)
  C(CL_PROFILING_INFO_NOT_AVAILABLE) C(CL_MEM_COPY_OVERLAP)
  C(CL_IMAGE_FORMAT_MISMATCH) C(CL_IMAGE_FORMAT_NOT_SUPPORTED)
  C(CL_BUILD_PROGRAM_FAILURE) C(CL_MAP_FAILURE)
  C(CL_MISALIGNED_SUB_BUFFER_OFFSET)
  C(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
  C(CL_COMPILE_PROGRAM_FAILURE) C(CL_LINKER_NOT_AVAILABLE)
  C(CL_LINK_PROGRAM_FAILURE) C(CL_DEVICE_PARTITION_FAILED)
  C(CL_KERNEL_ARG_INFO_NOT_AVAILABLE) C(CL_INVALID_VALUE)
  C(CL_INVALID_DEVICE_TYPE) C(CL_INVALID_PLATFORM) C(CL_INVALID_DEVICE)
  C(CL_INVALID_CONTEXT) C(CL_INVALID_QUEUE_PROPERTIES)
  C(CL_INVALID_COMMAND_QUEUE) C(CL_INVALID_HOST_PTR)
  C(CL_INVALID_MEM_OBJECT) C(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
  C(CL_INVALID_IMAGE_SIZE) C(CL_INVALID_SAMPLER) C(CL_INVALID_BINARY)
  C(CL_INVALID_BUILD_OPTIONS) C(CL_INVALID_PROGRAM)
  C(CL_INVALID_PROGRAM_EXECUTABLE) C(CL_INVALID_KERNEL_NAME)
  C(CL_INVALID_KERNEL_DEFINITION) C(CL_INVALID_KERNEL)
  C(CL_INVALID_ARG_INDEX) C(CL_INVALID_ARG_VALUE) C(CL_INVALID_ARG_SIZE)
  C(CL_INVALID_KERNEL_ARGS) C(CL_INVALID_WORK_DIMENSION)
  C(CL_INVALID_WORK_GROUP_SIZE) C(CL_INVALID_WORK_ITEM_SIZE)
  C(CL_INVALID_GLOBAL_OFFSET) C(CL_INVALID_EVENT_WAIT_LIST)
  C(CL_INVALID_EVENT) C(CL_INVALID_OPERATION) C(CL_INVALID_GL_OBJECT)
  C(CL_INVALID_BUFFER_SIZE) C(CL_INVALID_MIP_LEVEL)
  C(CL_INVALID_GLOBAL_WORK_SIZE) C(CL_INVALID_PROPERTY)
  C(CL_INVALID_IMAGE_DESCRIPTOR) C(CL_INVALID_COMPILER_OPTIONS)
  C(CL_INVALID_LINKER_OPTIONS) C(CL_INVALID_DEVICE_PARTITION_COUNT)
  C(CL_INVALID_PIPE_SIZE) C(CL_INVALID_DEVICE_QUEUE)
  C(CL_INVALID_SPEC_ID) C(CL_MAX_SIZE_RESTRICTION_EXCEEDED)
  C(CL_PLATFORM_NOT_FOUND_KHR)
#undef C
  default: return "CL_UNKNOWN_STATUS";
  }
}

/* The first cl* identifier followed by '(' in a stringized call. */
static void cl_api_name(const char *expr, char *out, size_t len)
{
  const char *p = expr;

  snprintf(out, len, "OpenCL call");
  while ((p = strstr(p, "cl")) != NULL) {
    const char *q = p + 2;
    int ident_start = p == expr || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                     (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
    while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'))
      q++;
    if (ident_start && *q == '(' && q > p + 2 && p[2] >= 'A' && p[2] <= 'Z') {
      snprintf(out, len, "%.*s", (int)(q - p), p);
      return;
    }
    p = q;
  }
}

int su__cl_fail(cl_int st, const char *expr)
{
  char api[64];

  cl_api_name(expr, api, sizeof(api));
  if (st == CL_MEM_OBJECT_ALLOCATION_FAILURE ||
      (st == CL_OUT_OF_RESOURCES &&
       (strcmp(api, "clCreateBuffer") == 0 || strcmp(api, "clEnqueueWriteBuffer") == 0 ||
        strcmp(api, "clEnqueueFillBuffer") == 0 || strcmp(api, "clEnqueueMapBuffer") == 0)))
    return su_errorf(SU_ESKIP, "device out of memory: '%s' returned %s", api,
                     su__cl_status_name(st));
  return su_errorf(SU_EBACKEND, "'%s' failed: %s (%d)", api, su__cl_status_name(st), (int)st);
}

/* ---- enumeration ----------------------------------------------------------- */

static int dev_str(cl_device_id d, cl_device_info what, char *buf, size_t len)
{
  size_t got = 0;
  int err = SU_OK;

  buf[0] = '\0';
  SU_CL(clGetDeviceInfo(d, what, len - 1, buf, &got));
  buf[got < len ? got : len - 1] = '\0';
out:
  return err;
}

/* The extension string into a malloc'd buffer (it can be several KiB). */
static char *dev_extensions(cl_device_id d)
{
  size_t len = 0;
  char *s;

  if (clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, 0, NULL, &len) != CL_SUCCESS)
    return NULL;
  s = calloc(1, len + 1);
  if (s && clGetDeviceInfo(d, CL_DEVICE_EXTENSIONS, len, s, NULL) != CL_SUCCESS) {
    free(s);
    return NULL;
  }
  return s;
}

static int has_ext(const char *exts, const char *name)
{
  size_t n = strlen(name);

  for (const char *p = exts; p && (p = strstr(p, name)) != NULL; p += n)
    if ((p == exts || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
      return 1;
  return 0;
}

static int fill_device(su_cl_device_t *d)
{
  cl_ulong u;
  cl_uint fp64_cfg = 0;
  char *exts;
  int err = SU_OK;

  err = dev_str(d->id, CL_DEVICE_NAME, d->name, sizeof(d->name));
  if (err)
    goto out;
  dev_str(d->id, CL_DEVICE_VERSION, d->version, sizeof(d->version));
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof(d->compute_units),
                        &d->compute_units, NULL));
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof(u), &u, NULL));
  d->global_mem_bytes = u;
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof(u), &u, NULL));
  d->max_alloc_bytes = u;
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_LOCAL_MEM_SIZE, sizeof(u), &u, NULL));
  d->local_mem_bytes = u;
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof(d->max_wg_size),
                        &d->max_wg_size, NULL));
  exts = dev_extensions(d->id);
  /* fp64 is core-optional since OpenCL 1.2: the extension, or a non-zero
   * CL_DEVICE_DOUBLE_FP_CONFIG, says the device has it. */
  clGetDeviceInfo(d->id, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof(fp64_cfg), &fp64_cfg, NULL);
  d->has_fp64 = has_ext(exts, "cl_khr_fp64") || fp64_cfg != 0;
  d->has_fp16 = has_ext(exts, "cl_khr_fp16");
  free(exts);
  d->cl1x = strncmp(d->version, "OpenCL 1.", 9) == 0;
  {
    cl_device_type type = 0;
    clGetDeviceInfo(d->id, CL_DEVICE_TYPE, sizeof(type), &type, NULL);
    d->is_cpu = (type & CL_DEVICE_TYPE_CPU) != 0;
  }
out:
  return err;
}

static void ocl_fini(void *ctx)
{
  su_cl_ctx_t *c = ctx;

  if (!c)
    return;
  for (unsigned i = 0; i < c->nprog; i++)
    clReleaseProgram(c->progs[i].program);
  for (unsigned i = 0; i < c->ndev; i++) {
    if (c->devs[i].hung)
      clReleaseEvent(c->devs[i].hung);
    if (c->devs[i].queue)
      clReleaseCommandQueue(c->devs[i].queue);
    if (c->devs[i].context)
      clReleaseContext(c->devs[i].context);
  }
  free(c->progs);
  free(c->devs);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

static int ocl_init(void **ctx)
{
  su_cl_ctx_t *c = NULL;
  cl_platform_id *plats = NULL;
  cl_device_id *ids = NULL;
  cl_uint nplat = 0, ndev;
  int err = SU_OK;
  cl_int st;

  st = clGetPlatformIDs(0, NULL, &nplat);
  if (st == CL_PLATFORM_NOT_FOUND_KHR || (st == CL_SUCCESS && nplat == 0))
    return su_errorf(SU_ENOTSUP, "no OpenCL platform found");
  SU_CL(st);
  c = calloc(1, sizeof(*c));
  if (c) {
    pthread_mutexattr_t ma;

    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&c->mu, &ma);
    pthread_mutexattr_destroy(&ma);
  }
  plats = calloc(nplat, sizeof(*plats));
  if (!c || !plats) {
    err = su_errorf(SU_ENOMEM, "cannot allocate the OpenCL device table");
    goto out;
  }
  SU_CL(clGetPlatformIDs(nplat, plats, NULL));
  for (cl_uint p = 0; p < nplat; p++) {
    su_cl_device_t *grown;

    st = clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &ndev);
    if (st == CL_DEVICE_NOT_FOUND || ndev == 0)
      continue; /* a platform without devices is not an error */
    SU_CL(st);
    free(ids);
    ids = calloc(ndev, sizeof(*ids));
    grown = realloc(c->devs, (c->ndev + ndev) * sizeof(*c->devs));
    if (!ids || !grown) {
      err = su_errorf(SU_ENOMEM, "cannot allocate the OpenCL device table");
      goto out;
    }
    c->devs = grown;
    SU_CL(clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, ndev, ids, NULL));
    for (cl_uint d = 0; d < ndev; d++) {
      su_cl_device_t *dv = &c->devs[c->ndev];

      memset(dv, 0, sizeof(*dv));
      dv->platform = plats[p];
      dv->id = ids[d];
      dv->plat_index = p;
      dv->dev_index = d;
      c->ndev++;
      err = fill_device(dv);
      if (err)
        goto out;
    }
  }
  if (c->ndev == 0) {
    err = su_errorf(SU_ENOTSUP, "no OpenCL device found on %u platform(s)", (unsigned)nplat);
    goto out;
  }
  *ctx = c;
  c = NULL;
out:
  free(ids);
  free(plats);
  ocl_fini(c);
  return err;
}

static int ocl_device_count(void *ctx, unsigned *n)
{
  *n = ((su_cl_ctx_t *)ctx)->ndev;
  return SU_OK;
}

static int cl_device_locked(su_cl_ctx_t *c, unsigned dev, su_cl_device_t **out)
{
  su_cl_device_t *d = &c->devs[dev];
  int err = SU_OK;
  cl_int st;

  if (su__cl_still_lost(d))
    return su_errorf(SU_EBACKEND, "device '%s' is lost: an earlier command has not finished "
                     "(watchdog)", d->name);
  if (!d->context) {
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)d->platform, 0};

    SU_CL((d->context = clCreateContext(props, 1, &d->id, NULL, NULL, &st), st));
  }
  if (!d->queue) {
    if (d->cl1x) {
      SU_CL((d->queue = clCreateCommandQueue(d->context, d->id, CL_QUEUE_PROFILING_ENABLE,
                                             &st), st));
    } else {
      cl_queue_properties qp[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};

      SU_CL((d->queue = clCreateCommandQueueWithProperties(d->context, d->id, qp, &st), st));
    }
  }
  *out = d;
out:
  return err;
}

int su__cl_device(su_cl_ctx_t *c, unsigned dev, su_cl_device_t **out)
{
  int err;

  if (!c || dev >= c->ndev)
    return su_errorf(SU_EINVAL, "no OpenCL device %u (have %u)", dev, c ? c->ndev : 0);
  pthread_mutex_lock(&c->mu);
  err = cl_device_locked(c, dev, out);
  pthread_mutex_unlock(&c->mu);
  return err;
}

/* ---- device facts ---------------------------------------------------------- */

/* Appends printf output to a fixed buffer; truncation is checked by the caller. */
static void appendf(char *buf, size_t len, size_t *pos, const char *fmt, ...) SU_PRINTF(4, 5);
static void appendf(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (*pos >= len)
    return;
  va_start(ap, fmt);
  n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
  va_end(ap);
  *pos += n > 0 ? (size_t)n : 0;
}

/* Appends "key": "escaped" (RFC 8259: quote, backslash, control characters). */
static void append_str(char *buf, size_t len, size_t *pos, const char *key, const char *s)
{
  appendf(buf, len, pos, "\"%s\": \"", key);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      appendf(buf, len, pos, "\\%c", *p);
    else if (*p < 0x20)
      appendf(buf, len, pos, "\\u%04x", *p);
    else
      appendf(buf, len, pos, "%c", *p);
  }
  appendf(buf, len, pos, "\", ");
}

/* The PCI address "dddd:bb:dd.f": cl_khr_pci_bus_info first, then the
 * AMD/NVIDIA queries that hwloc knows. */
static int pci_bus_id(cl_device_id id, char *out, size_t len)
{
  unsigned dom, bus, dev, fn;
#ifdef cl_khr_pci_bus_info /* headers older than 2021 lack it */
  cl_device_pci_bus_info_khr info;

  if (clGetDeviceInfo(id, CL_DEVICE_PCI_BUS_INFO_KHR, sizeof(info), &info, NULL) == CL_SUCCESS) {
    snprintf(out, len, "%04x:%02x:%02x.%x", info.pci_domain, info.pci_bus, info.pci_device,
             info.pci_function);
    return 1;
  }
#endif
  if (hwloc_opencl_get_device_pci_busid(id, &dom, &bus, &dev, &fn) == 0) {
    snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
    return 1;
  }
  return 0;
}

/*
 * The device's hwloc locality: the cpuset next to it, and the NUMA nodes and
 * packages inside that cpuset.  A device without PCI locality (a CPU device,
 * or a driver without the query) gets the whole machine, said as such.
 */
static void append_locality(char *buf, size_t len, size_t *pos, cl_device_id id,
                            char *local, size_t local_len)
{
  su_topo_t *t = NULL;
  hwloc_topology_t topo;
  hwloc_bitmap_t set = NULL;
  hwloc_obj_t o;
  char list[256];
  int first;

  if (su_topo_load(NULL, &t) != SU_OK || !(topo = su_topo_hwloc(t))) {
    su_errclear(); /* locality is optional; the rest of the facts stand */
    goto out;
  }
  set = hwloc_bitmap_alloc();
  if (!set || hwloc_opencl_get_device_cpuset(topo, id, set) != 0)
    goto out;
  hwloc_bitmap_list_snprintf(list, sizeof(list), set);
  if (!hwloc_bitmap_isequal(set, hwloc_topology_get_complete_cpuset(topo)))
    snprintf(local, local_len, "%s", list); /* only a real locality binds */
  appendf(buf, len, pos, "\"local_cpuset\": \"%s\", \"locality\": \"%s\", ", list,
          hwloc_bitmap_isequal(set, hwloc_topology_get_complete_cpuset(topo)) ? "machine"
                                                                               : "device");
  appendf(buf, len, pos, "\"numa_nodes\": [");
  first = 1;
  for (o = NULL; (o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) != NULL;)
    if (o->cpuset && hwloc_bitmap_isincluded(o->cpuset, set)) {
      appendf(buf, len, pos, "%s%u", first ? "" : ", ", o->logical_index);
      first = 0;
    }
  appendf(buf, len, pos, "], \"packages\": [");
  first = 1;
  for (o = NULL; (o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_PACKAGE, o)) != NULL;)
    if (o->cpuset && hwloc_bitmap_intersects(o->cpuset, set)) {
      appendf(buf, len, pos, "%s%u", first ? "" : ", ", o->logical_index);
      first = 0;
    }
  appendf(buf, len, pos, "], ");
out:
  if (set)
    hwloc_bitmap_free(set);
  su_topo_destroy(t);
}

static int ocl_device_info(void *ctx, unsigned dev, su_device_info_t *out)
{
  su_cl_ctx_t *c = ctx;
  su_cl_device_t *d;
  su_device_info_t info;
  char vendor[64], driver[128], clc[128], plat[128], pci[32];
  cl_uint clock_mhz = 0;
  cl_device_type type = 0;
  size_t pos = 0;
  int err = SU_OK;

  if (!c || dev >= c->ndev)
    return su_errorf(SU_EINVAL, "no OpenCL device %u (have %u)", dev, c ? c->ndev : 0);
  d = &c->devs[dev];
  memset(&info, 0, sizeof(info));
  dev_str(d->id, CL_DEVICE_VENDOR, vendor, sizeof(vendor));
  dev_str(d->id, CL_DRIVER_VERSION, driver, sizeof(driver));
  dev_str(d->id, CL_DEVICE_OPENCL_C_VERSION, clc, sizeof(clc));
  SU_CL(clGetPlatformInfo(d->platform, CL_PLATFORM_NAME, sizeof(plat) - 1, plat, NULL));
  plat[sizeof(plat) - 1] = '\0';
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof(clock_mhz), &clock_mhz, NULL));
  SU_CL(clGetDeviceInfo(d->id, CL_DEVICE_TYPE, sizeof(type), &type, NULL));

  snprintf(info.id, sizeof(info.id), "%u:%u", d->plat_index, d->dev_index);
  snprintf(info.name, sizeof(info.name), "%s", d->name);
  snprintf(info.vendor, sizeof(info.vendor), "%s", vendor);
  snprintf(info.version, sizeof(info.version), "%.90s; driver %.28s", d->version, driver);

  appendf(info.json, sizeof(info.json), &pos, "{");
  append_str(info.json, sizeof(info.json), &pos, "id", info.id);
  append_str(info.json, sizeof(info.json), &pos, "name", d->name);
  append_str(info.json, sizeof(info.json), &pos, "vendor", vendor);
  append_str(info.json, sizeof(info.json), &pos, "platform", plat);
  snprintf(info.type, sizeof(info.type), "%s",
           type & CL_DEVICE_TYPE_GPU ? "gpu" : type & CL_DEVICE_TYPE_CPU ? "cpu"
           : type & CL_DEVICE_TYPE_ACCELERATOR ? "accelerator" : "other");
  append_str(info.json, sizeof(info.json), &pos, "type", info.type);
  append_str(info.json, sizeof(info.json), &pos, "driver_version", driver);
  append_str(info.json, sizeof(info.json), &pos, "opencl_version", d->version);
  append_str(info.json, sizeof(info.json), &pos, "opencl_c_version", clc);
  appendf(info.json, sizeof(info.json), &pos,
          "\"compute_units\": %u, \"max_clock_mhz\": %u, \"global_mem_bytes\": %llu, "
          "\"local_mem_bytes\": %llu, \"max_alloc_bytes\": %llu, \"max_work_group_size\": %zu, "
          "\"fp64\": %s, \"fp16\": %s, ",
          (unsigned)d->compute_units, (unsigned)clock_mhz,
          (unsigned long long)d->global_mem_bytes, (unsigned long long)d->local_mem_bytes,
          (unsigned long long)d->max_alloc_bytes, d->max_wg_size,
          d->has_fp64 ? "true" : "false", d->has_fp16 ? "true" : "false");
  if (pci_bus_id(d->id, pci, sizeof(pci))) {
    append_str(info.json, sizeof(info.json), &pos, "pci_bus_id", pci);
    snprintf(info.pci, sizeof(info.pci), "%s", pci);
  }
  append_locality(info.json, sizeof(info.json), &pos, d->id, info.local_cpuset,
                  sizeof(info.local_cpuset));
  appendf(info.json, sizeof(info.json), &pos, "\"timer\": \"opencl profiling events\"}");
  if (pos >= sizeof(info.json))
    return su_errorf(SU_EINVAL, "device facts of '%s' do not fit the JSON buffer", d->name);
  *out = info;
out:
  return err;
}

/* ---- programs ---------------------------------------------------------------- */

const char *su__cl_source(const char *name)
{
  for (const struct su_cl_source *s = su_cl_sources; s->name; s++)
    if (strcmp(s->name, name) == 0)
      return s->text;
  return NULL;
}

void su__cl_options(su_precision_t prec, const char *extra, char *buf, size_t len)
{
  const char *real = prec == SU_PREC_FP64 ? "double" : prec == SU_PREC_FP16 ? "half" : "float";

  snprintf(buf, len, "-DREAL=%s -DSU_%s %s", real,
           prec == SU_PREC_FP64 ? "FP64" : prec == SU_PREC_FP16 ? "FP16" : "FP32",
           extra ? extra : "");
}

static int cl_build_locked(su_cl_ctx_t *c, unsigned dev, const char *source,
                           const char *options, cl_program *out)
{
  su_cl_device_t *d;
  cl_program prog = NULL;
  su_cl_prog_t *grown;
  cl_int st, bst;
  int err;

  err = su__cl_device(c, dev, &d);
  if (err)
    return err;
  for (unsigned i = 0; i < c->nprog; i++)
    if (c->progs[i].dev == dev && c->progs[i].source == source &&
        strcmp(c->progs[i].options, options) == 0) {
      *out = c->progs[i].program;
      return SU_OK;
    }
  if (strlen(options) >= sizeof(c->progs[0].options))
    return su_errorf(SU_EINVAL, "build options '%s' are too long", options);
  SU_CL((prog = clCreateProgramWithSource(d->context, 1, &source, NULL, &st), st));
  bst = clBuildProgram(prog, 1, &d->id, options, NULL, NULL);
  if (bst != CL_SUCCESS) {
    char log[1024];
    size_t got = 0;
    int lines = 0;

    log[0] = '\0';
    if (clGetProgramBuildInfo(prog, d->id, CL_PROGRAM_BUILD_LOG, sizeof(log) - 1, log, &got) !=
        CL_SUCCESS) {
      /* the log is longer than our buffer: fetch it whole, keep the head */
      size_t need = 0;
      char *full;

      clGetProgramBuildInfo(prog, d->id, CL_PROGRAM_BUILD_LOG, 0, NULL, &need);
      full = calloc(1, need + 1);
      if (full && clGetProgramBuildInfo(prog, d->id, CL_PROGRAM_BUILD_LOG, need, full, NULL) ==
                      CL_SUCCESS)
        snprintf(log, sizeof(log), "%s", full);
      free(full);
    }
    log[sizeof(log) - 1] = '\0';
    /* keep the first 6 lines, joined with " | " so the reason stays one line */
    for (char *p = log; *p; p++)
      if (*p == '\n') {
        if (++lines >= 6 || p[1] == '\0') {
          *p = '\0';
          break;
        }
        *p = '|';
      }
    err = su_errorf(SU_EBACKEND, "cannot build OpenCL program for '%s' (%s) with '%s': %s",
                    d->name, su__cl_status_name(bst), options, log[0] ? log : "(empty build log)");
    goto out;
  }
  grown = c->nprog == c->capprog
              ? realloc(c->progs, (c->capprog ? 2 * c->capprog : 16) * sizeof(*c->progs))
              : c->progs;
  if (!grown) {
    err = su_errorf(SU_ENOMEM, "cannot grow the OpenCL program cache");
    goto out;
  }
  if (c->nprog == c->capprog)
    c->capprog = c->capprog ? 2 * c->capprog : 16;
  c->progs = grown;
  c->progs[c->nprog].dev = dev;
  c->progs[c->nprog].source = source;
  snprintf(c->progs[c->nprog].options, sizeof(c->progs[0].options), "%s", options);
  c->progs[c->nprog].program = prog;
  c->nprog++;
  *out = prog;
  prog = NULL;
out:
  if (prog)
    clReleaseProgram(prog);
  return err;
}

int su__cl_build(su_cl_ctx_t *c, unsigned dev, const char *source, const char *options,
                 cl_program *out)
{
  int err;

  if (!c)
    return su_errorf(SU_EINVAL, "no OpenCL context");
  pthread_mutex_lock(&c->mu);
  err = cl_build_locked(c, dev, source, options, out);
  pthread_mutex_unlock(&c->mu);
  return err;
}

int su__cl_kernel(su_cl_ctx_t *c, unsigned dev, const char *source_name, su_precision_t prec,
                  const char *extra, const char *name, cl_kernel *out)
{
  const char *src = su__cl_source(source_name);
  char opts[160];
  cl_program prog;
  cl_kernel k;
  cl_int st;
  int err;

  if (!src)
    return su_errorf(SU_EINVAL, "no embedded OpenCL source '%s'", source_name);
  su__cl_options(prec, extra, opts, sizeof(opts));
  err = su__cl_build(c, dev, src, opts, &prog);
  if (err)
    return err;
  SU_CL((k = clCreateKernel(prog, name, &st), st));
  *out = k;
out:
  return err;
}

/* ---- waiting with a watchdog ------------------------------------------------ */

/* Shared by the waiter and the event callback; the last one out frees it,
 * so a callback that fires after a timeout touches live memory. */
typedef struct cl_waiter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done, refs;
  cl_int status;
} cl_waiter_t;

static void waiter_unref(cl_waiter_t *w)
{
  int last;

  pthread_mutex_lock(&w->mu);
  last = --w->refs == 0;
  pthread_mutex_unlock(&w->mu);
  if (last) {
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
  }
}

static void CL_CALLBACK waiter_cb(cl_event ev, cl_int status, void *arg)
{
  cl_waiter_t *w = arg;

  (void)ev;
  pthread_mutex_lock(&w->mu);
  w->done = 1;
  w->status = status;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  waiter_unref(w);
}

int su__cl_wait(cl_event ev, uint64_t timeout_ns)
{
  cl_waiter_t *w;
  pthread_condattr_t ca;
  struct timespec dl;
  int err = SU_OK, rc = 0;
  cl_int status;

  w = calloc(1, sizeof(*w));
  if (!w)
    return su_errorf(SU_ENOMEM, "cannot allocate an event waiter");
  pthread_mutex_init(&w->mu, NULL);
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w->cv, &ca);
  pthread_condattr_destroy(&ca);
  w->refs = 2;
  if (clSetEventCallback(ev, CL_COMPLETE, waiter_cb, w) != CL_SUCCESS) {
    w->refs = 1;
    waiter_unref(w);
    SU_CL(clWaitForEvents(1, &ev)); /* no callbacks: wait without a watchdog */
    goto out;
  }
  /* submit what is queued, or the callback may never fire (user events have no queue) */
  {
    cl_command_queue q = NULL;

    if (clGetEventInfo(ev, CL_EVENT_COMMAND_QUEUE, sizeof(q), &q, NULL) == CL_SUCCESS && q)
      clFlush(q);
  }
  clock_gettime(CLOCK_MONOTONIC, &dl);
  dl.tv_sec += (time_t)(timeout_ns / 1000000000u);
  dl.tv_nsec += (long)(timeout_ns % 1000000000u);
  if (dl.tv_nsec >= 1000000000L) {
    dl.tv_sec++;
    dl.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&w->mu);
  while (!w->done && rc != ETIMEDOUT)
    rc = pthread_cond_timedwait(&w->cv, &w->mu, &dl);
  status = w->status;
  rc = w->done ? 0 : ETIMEDOUT;
  pthread_mutex_unlock(&w->mu);
  waiter_unref(w);
  if (rc == ETIMEDOUT) {
    err = su_errorf(SU_ETIMEOUT, "device did not finish within %.1f s (watchdog)",
                    (double)timeout_ns / 1e9);
    goto out;
  }
  if (status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES)
    err = su_errorf(SU_ESKIP, "device out of memory: command ended with %s",
                    su__cl_status_name(status));
  else if (status < 0)
    err = su_errorf(SU_EBACKEND, "OpenCL command ended with %s (%d)", su__cl_status_name(status),
                    (int)status);
out:
  return err;
}

uint64_t su__cl_deadline_ns(uint64_t last_ns)
{
  const uint64_t floor_ns = 10ull * 1000000000ull;

  return last_ns > floor_ns / 100 ? 100 * last_ns : floor_ns;
}

int su__cl_event_ns(cl_event ev, int from_queued, uint64_t *ns)
{
  cl_ulong t0 = 0, t1 = 0;
  int err = SU_OK;

  SU_CL(clGetEventProfilingInfo(ev, from_queued ? CL_PROFILING_COMMAND_QUEUED
                                                : CL_PROFILING_COMMAND_START,
                                sizeof(t0), &t0, NULL));
  SU_CL(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof(t1), &t1, NULL));
  *ns = t1 > t0 ? (uint64_t)(t1 - t0) : 0;
out:
  return err;
}

int su__cl_check_prec(const su_cl_device_t *d, su_precision_t prec)
{
  if (prec == SU_PREC_FP64 && !d->has_fp64)
    return su_errorf(SU_ENOTSUP, "device '%s' has no fp64", d->name);
  if (prec == SU_PREC_FP16 && !d->has_fp16)
    return su_errorf(SU_ENOTSUP, "device '%s' has no fp16", d->name);
  if (prec != SU_PREC_FP64 && prec != SU_PREC_FP32 && prec != SU_PREC_FP16)
    return su_errorf(SU_ENOTSUP, "precision '%s' is not offered", su_precision_name(prec));
  return SU_OK;
}

int su__cl_parse_vec(const char *variant, unsigned *vec)
{
  static const char *const names[] = {"v1", "v2", "v4", "v8", "v16"};

  for (unsigned i = 0; i < 5; i++)
    if (variant && strcmp(variant, names[i]) == 0) {
      *vec = 1u << i;
      return SU_OK;
    }
  return su_errorf(SU_ENOTSUP, "unknown variant '%s' (expected v1, v2, v4, v8 or v16)",
                   variant ? variant : "");
}

const su_backend_t su_backend_opencl = {
  .abi = SU_BACKEND_ABI,
  .name = "opencl",
  .priority = 20,
  .init = ocl_init,
  .fini = ocl_fini,
  .device_count = ocl_device_count,
  .device_info = ocl_device_info,
  .kernels = su_opencl_kernels,
  .timer = SU_TIMER_DEVICE_EVENTS,
};
