// The Python module: classes over the C API's handles. Arrays come in as NumPy arrays (converted
// to C-contiguous float64 only when they are not already) and go out as NumPy arrays: views of
// the handle's memory where it lives as long as the Python object (batches, runs, readout
// weights, the simulation's state), copies where the next advance may move it (spikes,
// recordings). Long calls release the GIL. Every failing status raises the exception class of
// its code with the C++ API's message.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <neurode/neurode.h>

namespace py = pybind11;

namespace {

// Python exception classes per status; NEURODE_OK has none.
struct Exceptions {
    py::object error, invalid_parameter, io_error, solver_error, wrong_model_kind, out_of_range;
};
Exceptions* exceptions = nullptr;

class Context {
public:
    Context()
    {
        neurode_context* c = nullptr;
        if (neurode_context_create(&c) != NEURODE_OK) throw std::bad_alloc();
        handle_.reset(c);
    }
    neurode_context* get() const { return handle_.get(); }

    // Raises the exception for a failed status, with the message the C++ API gave (the C API
    // prefixes the entry point's name, "neurode_x: ", which Python's traceback already shows).
    void check(neurode_status status) const
    {
        if (status == NEURODE_OK) return;
        neurode_status last = NEURODE_OK;
        const char* message = "";
        neurode_last_error(get(), &last, &message);
        std::string text = last == status ? message : neurode_status_message(status);
        if (text.rfind("neurode_", 0) == 0 && text.find(": ") != std::string::npos) text = text.substr(text.find(": ") + 2);
        py::object type = exceptions->error;
        switch (status) {
        case NEURODE_INVALID_PARAMETER: type = exceptions->invalid_parameter; break;
        case NEURODE_IO_ERROR: type = exceptions->io_error; break;
        case NEURODE_SOLVER_ERROR: type = exceptions->solver_error; break;
        case NEURODE_WRONG_MODEL_KIND: type = exceptions->wrong_model_kind; break;
        case NEURODE_OUT_OF_RANGE: type = exceptions->out_of_range; break;
        case NEURODE_OUT_OF_MEMORY: throw std::bad_alloc();
        default: break;
        }
        PyErr_SetString(type.ptr(), text.c_str());
        throw py::error_already_set();
    }

private:
    struct Free {
        void operator()(neurode_context* c) const { neurode_context_free(c); }
    };
    std::unique_ptr<neurode_context, Free> handle_;
};

using ContextPtr = std::shared_ptr<Context>;

ContextPtr default_context()
{
    static ContextPtr context = std::make_shared<Context>();
    return context;
}

ContextPtr or_default(const ContextPtr& context) { return context ? context : default_context(); }

// A handle with its free function; the context it was made with lives as long as it.
template <class T, void (*Free)(T*)>
class Handle {
public:
    Handle(ContextPtr context, T* handle) : context_(std::move(context)), handle_(handle) {}
    T* get() const { return handle_.get(); }
    const Context& context() const { return *context_; }
    const ContextPtr& context_ptr() const { return context_; }

private:
    struct Deleter {
        void operator()(T* h) const { Free(h); }
    };
    ContextPtr context_;
    std::unique_ptr<T, Deleter> handle_;
};

using Model = Handle<neurode_model, neurode_model_free>;
using Simulation = Handle<neurode_simulation, neurode_simulation_free>;
using Recorder = Handle<neurode_recorder, neurode_recorder_free>;
using Task = Handle<neurode_task, neurode_task_free>;
using Batch = Handle<neurode_batch, neurode_batch_free>;
using Run = Handle<neurode_run, neurode_run_free>;
using Readout = Handle<neurode_readout, neurode_readout_free>;
using Analysis = Handle<neurode_analysis, neurode_analysis_free>;
using Learner = Handle<neurode_learner, neurode_learner_free>;

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

// A read-only array over memory `owner` keeps alive.
py::array view(const double* data, std::vector<py::ssize_t> shape, py::handle owner)
{
    py::array a(py::dtype::of<double>(), std::move(shape), data, owner);
    py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return a;
}

py::array copy(const double* data, std::size_t count) { return py::array_t<double>(static_cast<py::ssize_t>(count), data); }

// Bad array arguments are caught here, before the C API reads sizes it cannot check.
[[noreturn]] void invalid(const std::string& message)
{
    PyErr_SetString(exceptions->invalid_parameter.ptr(), message.c_str());
    throw py::error_already_set();
}

std::size_t dimension(const Array& a, py::ssize_t axis) { return static_cast<std::size_t>(a.shape(axis)); }

void require_dimensions(const Array& a, py::ssize_t dimensions, const char* name)
{
    if (a.ndim() != dimensions)
        invalid(std::string(name) + ": must have " + std::to_string(dimensions) + " dimensions, has " +
                std::to_string(a.ndim()));
}

// Runs a C API call with the GIL released (it touches no Python object), then raises on failure.
template <class Call>
void without_gil(const Context& context, Call call)
{
    neurode_status status;
    {
        py::gil_scoped_release release;
        status = call();
    }
    context.check(status);
}

neurode_quantity parse_quantity(const std::string& name)
{
    if (name == "state") return NEURODE_QUANTITY_STATE;
    if (name == "voltages") return NEURODE_QUANTITY_VOLTAGES;
    if (name == "rates") return NEURODE_QUANTITY_RATES;
    invalid("quantity: unknown quantity '" + name + "' (state, voltages, rates)");
}

std::size_t input_index(const Simulation& s, const std::variant<std::size_t, std::string>& input)
{
    if (const auto* index = std::get_if<std::size_t>(&input)) return *index;
    std::size_t index = 0;
    s.context().check(neurode_simulation_input_index(s.get(), std::get<std::string>(input).c_str(), &index));
    return index;
}

py::array read(const Simulation& s, neurode_quantity quantity)
{
    const double* values = nullptr;
    std::size_t count = 0;
    s.context().check(neurode_simulation_read(s.get(), quantity, &values, &count));
    return copy(values, count);
}

}  // namespace

PYBIND11_MODULE(neurode, m)
{
    m.doc() = "neurode: stiff-ODE simulation of rate and biophysical neural networks (over the C API, libneurode)";

    static Exceptions table;
    table.error = py::reinterpret_steal<py::object>(PyErr_NewException("neurode.Error", PyExc_RuntimeError, nullptr));
    auto derived = [&](const char* name, PyObject* base) {
        const py::tuple bases = py::make_tuple(table.error, py::handle(base));
        return py::reinterpret_steal<py::object>(PyErr_NewException(name, bases.ptr(), nullptr));
    };
    table.invalid_parameter = derived("neurode.InvalidParameter", PyExc_ValueError);
    table.io_error = derived("neurode.IoError", PyExc_OSError);
    table.solver_error = derived("neurode.SolverError", PyExc_ArithmeticError);
    table.wrong_model_kind = derived("neurode.WrongModelKind", PyExc_TypeError);
    table.out_of_range = derived("neurode.OutOfRange", PyExc_IndexError);
    exceptions = &table;
    m.attr("Error") = table.error;
    m.attr("InvalidParameter") = table.invalid_parameter;
    m.attr("IoError") = table.io_error;
    m.attr("SolverError") = table.solver_error;
    m.attr("WrongModelKind") = table.wrong_model_kind;
    m.attr("OutOfRange") = table.out_of_range;

    const char* version = "";
    neurode_version(&version);
    m.attr("__version__") = version;
    m.attr("abi_version") = neurode_abi_version();

    py::class_<Context, ContextPtr>(m, "Context", "Logger-free settings: the seed of batches drawn without one, threads")
        .def(py::init([](std::uint64_t seed, std::size_t threads) {
                 auto c = std::make_shared<Context>();
                 c->check(neurode_context_set_seed(c->get(), seed));
                 c->check(neurode_context_set_threads(c->get(), threads));
                 return c;
             }),
             py::arg("seed") = 1, py::arg("threads") = 1);

    py::class_<Model, std::shared_ptr<Model>>(m, "Model", "A biophysical network or a rate network")
        .def_static(
            "load",
            [](const std::string& path, const ContextPtr& context) {
                const ContextPtr c = or_default(context);
                neurode_model* h = nullptr;
                c->check(neurode_model_load(c->get(), path.c_str(), &h));
                return std::make_shared<Model>(c, h);
            },
            py::arg("path"), py::arg("context") = nullptr,
            "From a JSON description (neurode-network, neurode-rate-network) or a rate network's HDF5 file")
        .def_static(
            "parse",
            [](const std::string& json, const ContextPtr& context) {
                const ContextPtr c = or_default(context);
                neurode_model* h = nullptr;
                c->check(neurode_model_parse(c->get(), json.c_str(), &h));
                return std::make_shared<Model>(c, h);
            },
            py::arg("json"), py::arg("context") = nullptr, "From JSON text of either format")
        .def_property_readonly("kind",
                               [](const Model& self) {
                                   neurode_model_kind kind;
                                   self.context().check(neurode_model_kind_of(self.get(), &kind));
                                   return kind == NEURODE_MODEL_RATE ? "rate" : "network";
                               })
        .def_property_readonly("size",
                               [](const Model& self) {
                                   std::size_t size = 0;
                                   self.context().check(neurode_model_size(self.get(), &size));
                                   return size;
                               },
                               "Cells (network) or units (rate model)")
        .def(
            "run_batch",
            [](const Model& self, const Batch& batch, std::uint64_t noise_seed) {
                neurode_run* h = nullptr;
                without_gil(self.context(), [&] { return neurode_model_run_batch(self.get(), batch.get(), noise_seed, &h); });
                return std::make_shared<Run>(self.context_ptr(), h);
            },
            py::arg("batch"), py::arg("noise_seed") = 0, "A rate model on a task batch (Euler map)");

    py::class_<Simulation, std::shared_ptr<Simulation>>(m, "Simulation", "A model's integrator state, advanced to any time")
        .def(py::init([](const Model& model, std::optional<std::string> method, double rtol, double atol, double dt) {
                 neurode_simulation* h = nullptr;
                 model.context().check(
                     neurode_simulation_create(model.get(), method ? method->c_str() : nullptr, rtol, atol, dt, &h));
                 return std::make_shared<Simulation>(model.context_ptr(), h);
             }),
             py::arg("model"), py::arg("method") = py::none(), py::arg("rtol") = 0.0, py::arg("atol") = 0.0,
             py::arg("dt") = 0.0, "rtol, atol, dt [ms] <= 0 keep the defaults")
        .def_property_readonly("time",
                               [](const Simulation& self) {
                                   double t = 0;
                                   self.context().check(neurode_simulation_time(self.get(), &t));
                                   return t;
                               })
        .def_property_readonly("input_count",
                               [](const Simulation& self) {
                                   std::size_t n = 0;
                                   self.context().check(neurode_simulation_input_count(self.get(), &n));
                                   return n;
                               })
        .def(
            "set_input",
            [](Simulation& self, const std::variant<std::size_t, std::string>& input, double value) {
                self.context().check(neurode_simulation_set_input(self.get(), input_index(self, input), value));
            },
            py::arg("input"), py::arg("value"), "Input (index or name) held at value [nA for clamps] from now on")
        .def(
            "add_spikes",
            [](Simulation& self, std::size_t source, const Array& times) {
                self.context().check(neurode_simulation_add_spikes(self.get(), source, times.data(),
                                                                   static_cast<std::size_t>(times.size())));
            },
            py::arg("source"), py::arg("times"), "Host spikes [ms] into a spike source")
        .def(
            "advance",
            [](Simulation& self, double t_stop) {
                without_gil(self.context(), [&] { return neurode_simulation_advance(self.get(), t_stop); });
            },
            py::arg("t_stop"))
        .def(
            "advance_to_event",
            [](Simulation& self, double t_stop) {
                without_gil(self.context(), [&] { return neurode_simulation_advance_to_event(self.get(), t_stop); });
            },
            py::arg("t_stop"))
        .def("spikes",
             [](const Simulation& self) {
                 const double* times = nullptr;
                 const std::size_t* cells = nullptr;
                 std::size_t n = 0;
                 self.context().check(neurode_simulation_spikes(self.get(), &times, &cells, &n));
                 py::array_t<py::ssize_t> indices(static_cast<py::ssize_t>(n));  // NumPy's index type
                 std::copy(cells, cells + n, indices.mutable_data());
                 return py::make_tuple(copy(times, n), indices);
             },
             "(times [ms], cells) of the spikes found by the last advance")
        .def_property_readonly(
            "state",
            [](py::object self) {
                const Simulation& s = self.cast<const Simulation&>();
                const double* values = nullptr;
                std::size_t n = 0;
                s.context().check(neurode_simulation_read(s.get(), NEURODE_QUANTITY_STATE, &values, &n));
                return view(values, {static_cast<py::ssize_t>(n)}, self);
            },
            "Read-only view of the integrator's state (follows the simulation)")
        .def("voltages", [](const Simulation& self) { return read(self, NEURODE_QUANTITY_VOLTAGES); }, "[mV] per cell")
        .def("rates", [](const Simulation& self) { return read(self, NEURODE_QUANTITY_RATES); }, "f(x) per unit")
        .def(
            "record",
            [](Simulation& self, const std::string& name, const std::string& quantity, double interval) {
                neurode_recorder* h = nullptr;
                self.context().check(
                    neurode_recorder_create(self.get(), name.c_str(), parse_quantity(quantity), interval, &h));
                return std::make_shared<Recorder>(self.context_ptr(), h);
            },
            py::arg("name"), py::arg("quantity"), py::arg("interval") = 0.0,
            "Record 'state', 'voltages' or 'rates' every interval [ms] (0: every step)")
        .def(
            "write_hdf5",
            [](const Simulation& self, const std::string& path) {
                self.context().check(neurode_simulation_write_hdf5(self.get(), path.c_str()));
            },
            py::arg("path"));

    py::class_<Recorder, std::shared_ptr<Recorder>>(m, "Recorder")
        .def("data",
             [](const Recorder& self) {
                 const double *times = nullptr, *values = nullptr;
                 std::size_t samples = 0, columns = 0;
                 self.context().check(neurode_recorder_data(self.get(), &times, &samples, &values, &columns));
                 py::array v = copy(values, samples * columns);
                 return py::make_tuple(copy(times, samples),
                                       v.reshape({static_cast<py::ssize_t>(samples), static_cast<py::ssize_t>(columns)}));
             },
             "(times [ms], values [samples, columns]) recorded so far");

    py::class_<Task, std::shared_ptr<Task>>(m, "Task", "A cognitive task by name (`neurode tasks` lists them)")
        .def(py::init([](const std::string& name, const ContextPtr& context) {
                 const ContextPtr c = or_default(context);
                 neurode_task* h = nullptr;
                 c->check(neurode_task_create(c->get(), name.c_str(), &h));
                 return std::make_shared<Task>(c, h);
             }),
             py::arg("name"), py::arg("context") = nullptr)
        .def_property_readonly("shape",
                               [](const Task& self) {
                                   std::size_t inputs = 0, outputs = 0;
                                   double dt = 0;
                                   self.context().check(neurode_task_shape(self.get(), &inputs, &outputs, &dt));
                                   return py::make_tuple(inputs, outputs, dt);
                               },
                               "(inputs, outputs, dt [ms])")
        .def(
            "generate",
            [](const Task& self, std::size_t trials, std::optional<std::uint64_t> seed) {
                neurode_batch* h = nullptr;
                self.context().check(seed ? neurode_task_generate(self.get(), trials, *seed, &h)
                                          : neurode_task_generate_next(self.get(), trials, &h));
                return std::make_shared<Batch>(self.context_ptr(), h);
            },
            py::arg("trials"), py::arg("seed") = py::none(), "Trials from seed (default: the context's next seed)")
        .def(
            "score",
            [](const Task& self, const Batch& batch, const Run& run) {
                double score = 0;
                self.context().check(neurode_task_score(self.get(), batch.get(), run.get(), &score));
                return score;
            },
            py::arg("batch"), py::arg("run"));

    auto batch_array = [](py::object self, int which) {
        const Batch& b = self.cast<const Batch&>();
        std::size_t trials = 0, steps = 0, inputs = 0, outputs = 0;
        b.context().check(neurode_batch_shape(b.get(), &trials, &steps, &inputs, &outputs));
        const double *u = nullptr, *y = nullptr, *mask = nullptr;
        b.context().check(neurode_batch_data(b.get(), &u, &y, &mask));
        const double* data = which == 0 ? u : which == 1 ? y : mask;
        return view(data,
                    {static_cast<py::ssize_t>(trials), static_cast<py::ssize_t>(steps),
                     static_cast<py::ssize_t>(which == 0 ? inputs : outputs)},
                    self);
    };
    py::class_<Batch, std::shared_ptr<Batch>>(m, "Batch", "Trials of a task: arrays [trials, steps, channels] (views)")
        .def_property_readonly("inputs", [batch_array](py::object self) { return batch_array(self, 0); })
        .def_property_readonly("targets", [batch_array](py::object self) { return batch_array(self, 1); })
        .def_property_readonly("mask", [batch_array](py::object self) { return batch_array(self, 2); });

    auto run_array = [](py::object self, bool states) {
        const Run& r = self.cast<const Run&>();
        std::size_t trials = 0, steps = 0, units = 0, outputs = 0;
        r.context().check(neurode_run_shape(r.get(), &trials, &steps, &units, &outputs));
        const double *x = nullptr, *y = nullptr;
        r.context().check(neurode_run_data(r.get(), &x, &y));
        return view(states ? x : y,
                    {static_cast<py::ssize_t>(trials), static_cast<py::ssize_t>(steps),
                     static_cast<py::ssize_t>(states ? units : outputs)},
                    self);
    };
    py::class_<Run, std::shared_ptr<Run>>(m, "Run",
                                          "What a rate model did on a batch: arrays [trials, steps, channels] (views)")
        .def_property_readonly("states", [run_array](py::object self) { return run_array(self, true); })
        .def_property_readonly("outputs", [run_array](py::object self) { return run_array(self, false); });

    auto readout_array = [](py::object self, bool weights) {
        const Readout& r = self.cast<const Readout&>();
        const double *w = nullptr, *b = nullptr;
        std::size_t outputs = 0, features = 0;
        r.context().check(neurode_readout_weights(r.get(), &w, &b, &outputs, &features));
        const auto rows = static_cast<py::ssize_t>(outputs);
        return weights ? view(w, {rows, static_cast<py::ssize_t>(features)}, self) : view(b, {rows}, self);
    };
    py::class_<Readout, std::shared_ptr<Readout>>(m, "RidgeReadout", "y = W x + b fitted by ridge regression")
        .def(py::init([](const Array& features, const Array& targets, std::optional<Array> weights, double lam,
                         std::size_t warmup, const ContextPtr& context) {
                 require_dimensions(features, 3, "features");
                 require_dimensions(targets, 3, "targets");
                 if (targets.shape(0) != features.shape(0) || targets.shape(1) != features.shape(1))
                     invalid("targets: must have the features' trials and steps");
                 if (weights && (weights->ndim() != 3 || weights->size() != targets.size()))
                     invalid("weights: must have the targets' shape");
                 const ContextPtr c = or_default(context);
                 neurode_readout* h = nullptr;
                 without_gil(*c, [&] {
                     return neurode_readout_fit_ridge(c->get(), features.data(), targets.data(),
                                                      weights ? weights->data() : nullptr, dimension(features, 0),
                                                      dimension(features, 1), dimension(features, 2),
                                                      dimension(targets, 2), lam, warmup, &h);
                 });
                 return std::make_shared<Readout>(c, h);
             }),
             py::arg("features"), py::arg("targets"), py::arg("weights") = py::none(), py::arg("lam") = 1e-6,
             py::arg("warmup") = 0, py::arg("context") = nullptr,
             "features [trials, steps, F], targets [trials, steps, O], weights like targets (a mask)")
        .def_property_readonly("r2",
                               [](const Readout& self) {
                                   double r2 = 0;
                                   self.context().check(neurode_readout_r2(self.get(), &r2));
                                   return r2;
                               })
        .def_property_readonly("weights", [readout_array](py::object self) { return readout_array(self, true); },
                               "W [outputs, features] (a view)")
        .def_property_readonly("bias", [readout_array](py::object self) { return readout_array(self, false); },
                               "b [outputs] (a view)")
        .def(
            "predict",
            [](const Readout& self, const Array& features) {
                require_dimensions(features, 3, "features");
                const double *w = nullptr, *b = nullptr;
                std::size_t outputs = 0, width = 0;
                self.context().check(neurode_readout_weights(self.get(), &w, &b, &outputs, &width));
                if (dimension(features, 2) != width)
                    invalid("features: must have " + std::to_string(width) + " channels, has " +
                            std::to_string(dimension(features, 2)));
                py::array_t<double> out({features.shape(0), features.shape(1), static_cast<py::ssize_t>(outputs)});
                self.context().check(neurode_readout_predict(self.get(), features.data(), dimension(features, 0),
                                                             dimension(features, 1), out.mutable_data()));
                return out;
            },
            py::arg("features"));

    py::class_<Learner, std::shared_ptr<Learner>>(
        m, "Learner",
        "A learner of rnn/ training a copy of a rate model on a task: 'bptt', 'force', 'full_force', "
        "'reservoir_readout', 'hebbian', 'genetic'; keyword options are the fields of its options struct "
        "(times with their unit, dt_ms). Trains with the model's context's seed.")
        .def(py::init([](const Model& model, const Task& task, const std::string& learner, const py::kwargs& options) {
                 // The options travel as the JSON object the C API reads (json.dumps of the keywords).
                 const std::string json =
                     options.empty() ? "" : py::module_::import("json").attr("dumps")(options).cast<std::string>();
                 neurode_learner* h = nullptr;
                 model.context().check(neurode_learner_create(model.context().get(), model.get(), task.get(),
                                                              learner.c_str(), json.empty() ? nullptr : json.c_str(), &h));
                 return std::make_shared<Learner>(model.context_ptr(), h);
             }),
             py::arg("model"), py::arg("task"), py::arg("learner"))
        .def(
            "train",
            [](Learner& self, std::size_t iterations) {
                double loss = 0;
                without_gil(self.context(), [&] { return neurode_learner_train(self.get(), iterations, &loss); });
                return loss;
            },
            py::arg("iterations") = 1,
            "More learning iterations (numbering continues across calls); returns the last one's training loss")
        .def_property_readonly("iterations",
                               [](const Learner& self) {
                                   std::size_t n = 0;
                                   self.context().check(neurode_learner_iterations(self.get(), &n));
                                   return n;
                               })
        .def_property_readonly(
            "model",
            [](const Learner& self) {
                neurode_model* h = nullptr;
                self.context().check(neurode_learner_model(self.get(), &h));
                return std::make_shared<Model>(self.context_ptr(), h);
            },
            "The trained network as a new rate model (genetic: the fittest member; not for 'force')")
        .def(
            "outputs",
            [](Learner& self, const Batch& batch) {
                std::size_t trials = 0, steps = 0, inputs = 0, outputs = 0, count = 0;
                self.context().check(neurode_batch_shape(batch.get(), &trials, &steps, &inputs, &outputs));
                const double* y = nullptr;
                without_gil(self.context(), [&] { return neurode_learner_outputs(self.get(), batch.get(), &y, &count); });
                return copy(y, count).reshape({static_cast<py::ssize_t>(trials), static_cast<py::ssize_t>(steps),
                                               static_cast<py::ssize_t>(outputs)});
            },
            py::arg("batch"), "The trained system's outputs [trials, steps, outputs] (no learning, no noise)")
        .def(
            "score",
            [](const Learner& self, const Batch& batch) {
                double score = 0;
                without_gil(self.context(), [&] { return neurode_learner_score(self.get(), batch.get(), &score); });
                return score;
            },
            py::arg("batch"), "The task's score of those outputs");

    m.def(
        "distance",
        [](const std::string& metric, const Array& x, const Array& y, std::optional<double> alpha,
           const ContextPtr& context) {
            require_dimensions(x, 2, "x");
            require_dimensions(y, 2, "y");
            const ContextPtr c = or_default(context);
            neurode_analysis* h = nullptr;
            c->check(neurode_analysis_create(c->get(), metric.c_str(), &h));
            const Analysis analysis(c, h);
            if (alpha) c->check(neurode_analysis_set_option(h, "alpha", *alpha));
            if (x.shape(0) != y.shape(0))
                invalid("y: must have as many samples (rows) as x (" + std::to_string(x.shape(0)) + "), has " +
                        std::to_string(y.shape(0)));
            double d = 0;
            without_gil(*c, [&] {
                return neurode_analysis_distance(h, x.data(), dimension(x, 1), y.data(), dimension(y, 1),
                                                 dimension(x, 0), &d);
            });
            return d;
        },
        py::arg("metric"), py::arg("x"), py::arg("y"), py::arg("alpha") = py::none(), py::arg("context") = nullptr,
        "Distance between two activity sets [samples, units]: 'cka', 'procrustes', 'shape' (alpha)");
}
