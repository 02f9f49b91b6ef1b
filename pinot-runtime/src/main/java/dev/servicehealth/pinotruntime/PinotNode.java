package dev.servicehealth.pinotruntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.pinot.broker.broker.helix.HelixBrokerStarter;
import org.apache.pinot.controller.ControllerStarter;
import org.apache.pinot.server.starter.helix.HelixServerStarter;
import org.apache.pinot.spi.env.PinotConfiguration;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;

/**
 * A whole Pinot cluster in one JVM: ZooKeeper, a controller, a broker and a server, every HTTP and
 * ZooKeeper listener on 127.0.0.1.
 *
 * <p>Arguments: {@code <work dir> <zookeeper port> <controller port> <broker port> <server netty
 * port> <server admin port>}. Prints {@link #READY} on standard output once every part has started.
 * Stops every part, in reverse order, and exits when standard input reaches end of file: the parent
 * holds that pipe open for as long as it lives, so the node never outlives it, even after {@code
 * kill -9}.
 */
public final class PinotNode {

    /** The line printed once every part has started. */
    public static final String READY = "pinot node ready";

    private static final String LOOPBACK = "127.0.0.1";
    private static final String CLUSTER = "ServiceHealth";

    private final Deque<Runnable> stops = new ArrayDeque<>();

    private PinotNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println(
                    "usage: PinotNode <work dir> <zookeeper port> <controller port> <broker port>"
                            + " <server netty port> <server admin port>");
            System.exit(2);
        }
        Path workDir = Path.of(args[0]).toAbsolutePath();
        int zookeeperPort = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        int brokerPort = Integer.parseInt(args[3]);
        int serverNettyPort = Integer.parseInt(args[4]);
        int serverAdminPort = Integer.parseInt(args[5]);

        PinotNode node = new PinotNode();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "pinot-node-stop"));
        watchParent();
        try {
            String zookeeper = node.startZooKeeper(workDir.resolve("zookeeper"), zookeeperPort);
            node.startController(workDir.resolve("controller"), zookeeper, controllerPort);
            node.startBroker(zookeeper, brokerPort);
            node.startServer(
                    workDir.resolve("server"), zookeeper, serverNettyPort, serverAdminPort);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }

    private String startZooKeeper(Path dataDir, int port) throws Exception {
        Files.createDirectories(dataDir);
        // ZooKeeper's admin server would take port 8080 on every interface
        System.setProperty("zookeeper.admin.enableServer", "false");
        Properties properties = new Properties();
        properties.setProperty("dataDir", dataDir.toString());
        properties.setProperty("clientPortAddress", LOOPBACK);
        properties.setProperty("clientPort", Integer.toString(port));
        properties.setProperty("tickTime", "2000");
        properties.setProperty("maxClientCnxns", "0");
        QuorumPeerConfig quorumConfig = new QuorumPeerConfig();
        quorumConfig.parseProperties(properties);
        ServerConfig config = new ServerConfig();
        config.readFrom(quorumConfig);

        ZooKeeper zooKeeper = new ZooKeeper();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                zooKeeper.runFromConfig(config);
                            } catch (Exception e) {
                                e.printStackTrace();
                                System.exit(1);
                            }
                        },
                        "zookeeper");
        thread.setDaemon(true);
        thread.start();
        stops.push(zooKeeper::shutdown);
        return LOOPBACK + ":" + port;
    }

    private void startController(Path dir, String zookeeper, int port) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("controller.zk.str", zookeeper);
        config.put("controller.helix.cluster.name", CLUSTER);
        config.put("controller.host", LOOPBACK);
        config.put("controller.port", Integer.toString(port));
        listener(config, "controller", port);
        // segment commits post to this address; without it the URL carries port "null"
        config.put("controller.vip.host", LOOPBACK);
        config.put("controller.vip.port", Integer.toString(port));
        config.put("controller.data.dir", dir.resolve("data").toString());
        config.put("controller.local.temp.dir", dir.resolve("tmp").toString());
        ControllerStarter controller = new ControllerStarter();
        controller.init(new PinotConfiguration(config));
        controller.start();
        stops.push(controller::stop);
    }

    private void startBroker(String zookeeper, int port) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("pinot.zk.server", zookeeper);
        config.put("pinot.cluster.name", CLUSTER);
        config.put("pinot.broker.hostname", LOOPBACK);
        config.put("pinot.broker.client.queryPort", Integer.toString(port));
        listener(config, "pinot.broker.client", port);
        HelixBrokerStarter broker = new HelixBrokerStarter();
        broker.init(new PinotConfiguration(config));
        broker.start();
        stops.push(broker::stop);
    }

    private void startServer(Path dir, String zookeeper, int nettyPort, int adminPort)
            throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("pinot.zk.server", zookeeper);
        config.put("pinot.cluster.name", CLUSTER);
        config.put("pinot.server.netty.host", LOOPBACK);
        config.put("pinot.server.netty.port", Integer.toString(nettyPort));
        config.put("pinot.server.adminapi.port", Integer.toString(adminPort));
        listener(config, "pinot.server.adminapi", adminPort);
        config.put("pinot.server.instance.dataDir", dir.resolve("data").toString());
        config.put("pinot.server.instance.segmentTarDir", dir.resolve("segment-tar").toString());
        config.put("pinot.server.grpc.enable", "false");
        HelixServerStarter server = new HelixServerStarter();
        server.init(new PinotConfiguration(config));
        server.start();
        stops.push(server::stop);
    }

    /** An HTTP listener on 127.0.0.1 only; Pinot's default binds every interface. */
    private static void listener(Map<String, Object> config, String prefix, int port) {
        config.put(prefix + ".access.protocols", "http");
        config.put(prefix + ".access.protocols.http.host", LOOPBACK);
        config.put(prefix + ".access.protocols.http.port", Integer.toString(port));
    }

    private synchronized void stop() {
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private static void watchParent() {
        Thread watcher =
                new Thread(
                        () -> {
                            try {
                                while (System.in.read() != -1) {
                                    // the parent never writes; reading only waits for EOF
                                }
                            } catch (IOException e) {
                                // a broken pipe means the same as EOF: the parent is gone
                            }
                            // runs the shutdown hook, which stops every part in reverse order
                            System.exit(0);
                        },
                        "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** ZooKeeperServerMain with its protected shutdown made callable. */
    private static final class ZooKeeper extends ZooKeeperServerMain {
        @Override
        protected void shutdown() {
            super.shutdown();
        }
    }
}
