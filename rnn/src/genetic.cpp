#include <neurode/rnn/genetic.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {
void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

void add_noise(Eigen::MatrixXd& a, double sd, sim::Rng& rng)
{
    for (Eigen::Index j = 0; j < a.cols(); ++j)
        for (Eigen::Index i = 0; i < a.rows(); ++i) a(i, j) += rng.normal(0.0, sd);
}

void add_noise(Eigen::VectorXd& a, double sd, sim::Rng& rng)
{
    for (Eigen::Index i = 0; i < a.size(); ++i) a(i) += rng.normal(0.0, sd);
}

void write_matrix(sim::h5::Writer& out, const std::string& name, const Eigen::MatrixXd& a)
{
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = a;
    out.write(name, std::span<const double>(rows.data(), static_cast<std::size_t>(rows.size())),
              {static_cast<std::size_t>(a.rows()), static_cast<std::size_t>(a.cols())});
}

template <class M>
void read_matrix(const sim::h5::Reader& in, const std::string& name, M& a)
{
    const auto values = in.read_doubles(name);
    if (values.size() != static_cast<std::size_t>(a.size()))
        throw io_error(name, "has " + std::to_string(values.size()) + " values, the network needs " +
                                 std::to_string(a.size()));
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j) a(i, j) = values[static_cast<std::size_t>(i * a.cols() + j)];
}

void write_trainable(sim::h5::Writer& out, const std::string& g, const RateNetwork& net)
{
    out.create_group(g);
    write_matrix(out, g + "/W", net.W);
    write_matrix(out, g + "/Win", net.Win);
    write_matrix(out, g + "/b", net.b);
    write_matrix(out, g + "/Wout", net.Wout);
    write_matrix(out, g + "/bout", net.bout);
}

void read_trainable(const sim::h5::Reader& in, const std::string& g, RateNetwork& net)
{
    read_matrix(in, g + "/W", net.W);
    read_matrix(in, g + "/Win", net.Win);
    read_matrix(in, g + "/b", net.b);
    read_matrix(in, g + "/Wout", net.Wout);
    read_matrix(in, g + "/bout", net.bout);
}
}  // namespace

void GeneticOptions::validate() const
{
    require(population > 0, "population", "must be > 0");
    require(elites > 0, "elites", "must be > 0");
    require(population >= elites, "population",
            "must be >= elites (" + std::to_string(elites) + "), got " + std::to_string(population));
    require(std::isfinite(mutation_sd) && mutation_sd > 0, "mutation_sd", "must be finite and > 0");
    require(batch_trials > 0, "batch_trials", "must be > 0");
}

GeneticLearner::GeneticLearner(RateNetwork network, GeneticOptions options)
    : options_(options), best_(network)
{
    options_.validate();
    network.validate();
    population_.reserve(options_.population);
    population_.push_back(network);
    sim::Rng rng(options_.seed);
    for (std::size_t k = 1; k < options_.population; ++k) {
        RateNetworkOptions o = network.options();
        o.seed = rng.next_u64();
        RateNetwork member(o);
        // Members differ in what evolves; the fixed structure is the given network's.
        member.tau = network.tau;
        member.mask = network.mask;
        member.sign = network.sign;
        population_.push_back(std::move(member));
    }
}

IterationResult GeneticLearner::iterate(const Task& task, std::uint64_t seed)
{
    sim::Rng root(seed);
    const TrialBatch batch = task.generate(options_.batch_trials, root.next_u64());
    const std::uint64_t noise_seed = root.next_u64();
    sim::Rng mutations = root.split();

    const std::size_t n = population_.size();
    std::vector<double> loss(n);
    fitness_.assign(n, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
        const NetworkRun run = population_[k].run_euler(batch, noise_seed);
        loss[k] = masked_mse(batch, run.outputs);
        fitness_[k] = options_.fitness == Fitness::loss ? -loss[k] : task.score(batch, run.outputs).value;
    }
    std::vector<std::size_t> rank(n);
    std::iota(rank.begin(), rank.end(), std::size_t{0});
    std::stable_sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) {
        if (fitness_[a] != fitness_[b]) return fitness_[a] > fitness_[b];
        return loss[a] < loss[b];
    });
    best_ = population_[rank[0]];

    std::vector<RateNetwork> next;
    next.reserve(n);
    for (std::size_t k = 0; k < options_.elites; ++k) next.push_back(population_[rank[k]]);
    for (std::size_t k = options_.elites; k < n; ++k) {
        RateNetwork child = next[mutations.index(options_.elites)];
        const double sd = options_.mutation_sd;
        add_noise(child.W, sd, mutations);
        add_noise(child.Win, sd, mutations);
        add_noise(child.Wout, sd, mutations);
        if (options_.mutate_biases) {
            add_noise(child.b, sd, mutations);
            add_noise(child.bout, sd, mutations);
        }
        next.push_back(std::move(child));
    }
    population_ = std::move(next);
    ++generations_;
    return {loss[rank[0]], batch.trials};
}

std::vector<double> GeneticLearner::outputs(const TrialBatch& batch) const { return best_.run_euler(batch).outputs; }

void GeneticLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    out.set_attribute(group, "population", static_cast<std::int64_t>(population_.size()));
    out.set_attribute(group, "generations", static_cast<std::int64_t>(generations_));
    if (!fitness_.empty()) out.write(group + "/fitness", std::span<const double>(fitness_));
    write_trainable(out, group + "/best", best_);
    for (std::size_t k = 0; k < population_.size(); ++k)
        write_trainable(out, group + "/member" + std::to_string(k), population_[k]);
}

void GeneticLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    const auto size = static_cast<std::size_t>(in.int_attribute(group, "population"));
    if (size != population_.size())
        throw invalid_parameter("population", "the checkpoint holds " + std::to_string(size) +
                                                  " members, this learner " + std::to_string(population_.size()));
    generations_ = static_cast<std::size_t>(in.int_attribute(group, "generations"));
    fitness_ = in.exists(group + "/fitness") ? in.read_doubles(group + "/fitness") : std::vector<double>{};
    read_trainable(in, group + "/best", best_);
    for (std::size_t k = 0; k < size; ++k) read_trainable(in, group + "/member" + std::to_string(k), population_[k]);
}

}  // namespace neurode::rnn
